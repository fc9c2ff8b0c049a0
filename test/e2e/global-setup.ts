import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_DIR_ENV, SERVER_URL_ENV } from './support/server';
import { startSimpleDb } from '../support/simple-db-process';

/**
 * Starts browser mode once for the whole run, on a fresh data directory (so a fresh embedded
 * PostgreSQL 15), and hands its printed address and data directory to the tests through
 * SIMPLE_DB_E2E_URL and SIMPLE_DB_E2E_DATA_DIR. The returned function is the teardown: Ctrl+C
 * (SIGINT), wait for the exit, remove the directory.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-e2e-'));
  let server;
  try {
    server = await startSimpleDb({ dataDir });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.env[SERVER_URL_ENV] = server.url;
  process.env[DATA_DIR_ENV] = dataDir;

  return async () => {
    try {
      await server.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
