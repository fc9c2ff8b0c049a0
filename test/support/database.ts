import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import type { EmbeddedConnection } from '../../src/main/embedded/server';
import type { JobStarted, MigrationState } from '../../src/shared/contract';

export function serverConnection(): EmbeddedConnection {
  return inject('postgres');
}

/** A fresh, empty database on the shared test server; its URL in the DATABASE_URL form. */
export async function createTestDatabase(prefix = 't'): Promise<{ name: string; url: string }> {
  const connection = serverConnection();
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = `postgresql://${connection.user}:${encodeURIComponent(connection.password)}@${connection.host}:${connection.port}/${name}`;
  return { name, url };
}

/** A plain pg client on a test database, for reading back what the app did. */
export async function rawClient(database: string): Promise<pg.Client> {
  const client = new pg.Client({ ...serverConnection(), database });
  await client.connect();
  return client;
}

/** The backend on a fresh database, migrated to the current schema (`dataDir` for tests that write settings or backups). */
export async function migratedBackend(
  options: { dataDir?: string; prefix?: string; log?: (line: string) => void } = {},
): Promise<{ backend: Backend; database: string; url: string }> {
  const { name, url } = await createTestDatabase(options.prefix);
  const backend = await startApp({
    dataDir: options.dataDir ?? '/nonexistent',
    databaseUrl: url,
    version: 'test',
    log: options.log ?? (process.env.DEBUG_LOG ? (m) => console.error(m) : () => {}),
  });
  await applyMigrations(backend);
  return { backend, database: name, url };
}

/**
 * Applies the pending migrations through the contract (on `connectionId`, default the start
 * connection): `migrations.up` starts a job; this waits for it and answers its result, the new
 * state, or fails with the job's error.
 */
export async function applyMigrations(backend: Backend, connectionId?: string): Promise<MigrationState> {
  const started = await backend.dispatch('migrations.up', {}, connectionId === undefined ? {} : { connectionId });
  if (!started.ok) throw new Error(`migrations.up failed: ${started.error.code}: ${started.error.message}`);
  const job = await backend.services.jobs.finished((started.data as JobStarted).jobId);
  if (job.state !== 'succeeded')
    throw new Error(`applying migrations ${job.state}: ${job.error ? `${job.error.code}: ${job.error.message}` : 'cancelled'}`);
  return job.result as MigrationState;
}

/** Calls a procedure and returns its data, failing the test with the error's message otherwise. */
export async function call<T = unknown>(backend: Backend, procedure: string, input: unknown = {}): Promise<T> {
  const result = await backend.dispatch(procedure, input);
  if (!result.ok) throw new Error(`${procedure} failed: ${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

/** Adds users as given, `[email, name, created_at]` each, in one statement: their ids follow the order. */
export async function insertUsers(client: pg.Client, users: ReadonlyArray<readonly [email: string, name: string, createdAt: string]>): Promise<void> {
  const rows = users.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
  await client.query(`INSERT INTO users (email, name, created_at) VALUES ${rows}`, users.flat());
}

/**
 * The pids of this database's sessions named `applicationName` (the import's `simple-db (import)`,
 * say), only those waiting for a lock when asked: a test polls it to see the work wait, or end.
 */
export async function sessionsOf(client: pg.Client, applicationName: string, options: { waitingForLock?: boolean } = {}): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()${options.waitingForLock ? " AND wait_event_type = 'Lock'" : ''}`,
    [applicationName],
  );
  return rows.map((row) => row.pid);
}
