import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import type { App as Backend } from '../../src/main/bootstrap';
import type { Job } from '../../src/shared/contract';
import { call } from './database';

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
