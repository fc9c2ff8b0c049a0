import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { expect } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { BackupEntry, Job } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from './database';

/** A data directory of its own (settings, backups folder), removed by the caller. */
export async function tempDataDir(prefix = 'simple-db-backups-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Starts a job through the contract and waits for its end (the registry's own promise, no polling). */
export async function runJob(backend: Backend, procedure: string, input: unknown): Promise<Job> {
  const { jobId } = await call<{ jobId: string }>(backend, procedure, input);
  return backend.services.jobs.finished(jobId);
}

/** Fills users and products: `users` users, each owning up to two products (some owned by nobody). */
export async function seedUsersAndProducts(client: pg.Client, users: number): Promise<void> {
  await client.query(
    `INSERT INTO users (email, name, created_at)
     SELECT 'user' || g || '@example.com', 'User ' || g || CASE WHEN g % 7 = 0 THEN E' \\\\ ''quoted'' \t tab' ELSE '' END, timestamp '2026-01-01' + g * interval '1 minute'
       FROM generate_series(1, $1::int) AS g`,
    [users],
  );
  await client.query(
    `INSERT INTO products (name, owner_id)
     SELECT 'Product ' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE (g % $1::int) + 1 END FROM generate_series(1, $1::int * 2) AS g`,
    [users],
  );
}

/** An ordered checksum of every row of each table: equal checksums, identical rows. */
export async function tableChecksums(client: pg.Client): Promise<Record<string, { rows: number; md5: string }>> {
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const table of ['users', 'products']) {
    const { rows } = await client.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY id)), '') AS md5 FROM ${table} t`,
    );
    result[table] = rows[0]!;
  }
  return result;
}

/** A migrated database with `users` users (and their products), its backend on a data directory of its own, and a raw client. */
export interface BackupFixture {
  backend: Backend;
  client: pg.Client;
  database: string;
  dataDir: string;
  /** The default backups folder (made by the first backup). */
  folder: string;
  /** Every line the backend logged. */
  logLines: string[];
  close(): Promise<void>;
}

export async function backupFixture(users: number): Promise<BackupFixture> {
  const dataDir = await tempDataDir();
  const logLines: string[] = [];
  const { backend, database } = await migratedBackend({ dataDir, log: (line) => logLines.push(line) });
  const client = await rawClient(database);
  // A test may end every other session on the database, this one included.
  client.on('error', () => undefined);
  await seedUsersAndProducts(client, users);
  return {
    backend,
    client,
    database,
    dataDir,
    folder: path.join(dataDir, 'backups'),
    logLines,
    close: async () => {
      await client.end().catch(() => undefined);
      await backend.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Takes a backup through the contract; fails the test unless it succeeded. */
export async function takeBackup(backend: Backend, options: Record<string, unknown> = {}): Promise<BackupEntry> {
  const job = await runJob(backend, 'backups.create', { options });
  expect(job.error).toBeNull();
  expect(job.state).toBe('succeeded');
  return job.result as BackupEntry;
}
