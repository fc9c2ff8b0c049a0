import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedServer, type EmbeddedConnection } from '../../src/main/embedded/server';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: EmbeddedConnection;
  }
}

/** Starts one real embedded PostgreSQL (our own controller, as the app uses it) for all test files. */
export async function setup(project: TestProject) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-test-'));
  const server = await EmbeddedServer.start({ dataDir, log: () => {} });
  project.provide('postgres', server.connection);
  return async () => {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
