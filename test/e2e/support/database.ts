import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import pg from 'pg';
import type { EmbeddedConnection } from '../../../src/main/embedded/server';
import { callApi, DATA_DIR_ENV } from './server';

/** How to reach the run's embedded PostgreSQL directly, as its superuser (`database`: the one Simple DB works on). */
export type { EmbeddedConnection };

/**
 * The superuser's password comes from `<data dir>/credentials.json`; the address from `app.info`,
 * so the tests see the very database the page shows.
 */
export async function embeddedConnection(request: APIRequestContext): Promise<EmbeddedConnection> {
  const dataDir = process.env[DATA_DIR_ENV];
  if (!dataDir) throw new Error(`${DATA_DIR_ENV} is not set: run these tests through playwright.config.ts (its globalSetup starts the server).`);
  const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { user: string; password: string };
  const { database } = await callApi(request, 'app.info', {});
  if (database.kind !== 'embedded') throw new Error(`The e2e server is not on its embedded PostgreSQL (${database.kind}).`);
  return { host: database.host, port: database.port, user: credentials.user, password: credentials.password, database: database.name };
}

/** Runs `work` with one client connected to `database` (default: Simple DB's own), then disconnects. */
export async function withDatabase<T>(
  connection: EmbeddedConnection,
  work: (client: pg.Client) => Promise<T>,
  database = connection.database,
): Promise<T> {
  const client = new pg.Client({ ...connection, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the embedded server (no tables, no migrations), named `e2e_<random>`. */
export async function createScratchDatabase(connection: EmbeddedConnection): Promise<string> {
  const name = `e2e_${crypto.randomBytes(4).toString('hex')}`;
  await withDatabase(connection, (client) => client.query(`CREATE DATABASE ${name}`));
  return name;
}

export async function dropScratchDatabase(connection: EmbeddedConnection, name: string): Promise<void> {
  // FORCE: a pool left behind by a failed test must not keep the database alive.
  await withDatabase(connection, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A `postgresql://` URL for `database` on the embedded server, as an admin would set DATABASE_URL. */
export function databaseUrl(connection: EmbeddedConnection, database: string): string {
  const { host, port, user, password } = connection;
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` from a client of its own, so work started now waits
 * (its job stays running, its progress on screen) until `release`.
 */
export async function lockTable(connection: EmbeddedConnection, database: string, table: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ ...connection, database });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
    },
  };
}
