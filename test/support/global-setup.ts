import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedServer, type EmbeddedConnection } from '../../src/main/embedded/server';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: EmbeddedConnection;
    /** A database with a million users and 200,000 products (see big-database.ts); tests only read it. */
    bigUsersDatabase: string;
  }
}

/**
 * Starts one real embedded PostgreSQL (our own controller, as the app uses it) for all test files.
 * The big database is named here and built once per run by the first test file that asks for it
 * (`ensureBigDatabase`, under an advisory lock): building it takes a while on two cores, and a
 * run of unit tests or of a single unrelated file should not pay for it.
 */
export async function setup(project: TestProject) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-test-'));
  const server = await EmbeddedServer.start({ dataDir, log: () => {} });
  project.provide('postgres', server.connection);
  project.provide('bigUsersDatabase', 'big_users');
  return async () => {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
