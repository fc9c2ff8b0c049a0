import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { Database } from '../../src/main/db/connect';
import { runStatement, runTimeBoxed, statementName, withPooledClient, type Statement } from '../../src/main/db/prepared';
import { call, migratedBackend, rawClient } from '../support/database';
import type { UserListOutput } from '../../src/shared/contract';

// The pool's statements on a database of their own: its table is altered and its sessions reset.
let backend: Backend;
let client: pg.Client;
let database: string;
let db: Database;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  database = setup.database;
  db = backend.defaultConnection.db;
  client = await rawClient(database);
  await client.query(`INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 40) AS g`);
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const FIRST_NAMES: Statement = { text: 'SELECT name FROM users ORDER BY id LIMIT 3', values: [], prepare: true };

/** Runs `work` on every connection the pool holds, all at once (so each on a different one). */
async function onEveryConnection<T>(work: (client: pg.Client) => Promise<T>): Promise<T[]> {
  const size = (db.sequelize.connectionManager as unknown as { pool: { size: number } }).pool.size;
  let arrived = 0;
  let allHere!: () => void;
  const here = new Promise<void>((resolve) => (allHere = resolve));
  return Promise.all(
    Array.from({ length: size }, () =>
      withPooledClient(db, async (pooled) => {
        if (++arrived === size) allHere();
        await here;
        return work(pooled);
      }),
    ),
  );
}

/** The SQLSTATE of every failed query, by the connection it failed on. */
function recordFailures(): Map<object, string[]> {
  const failures = new Map<object, string[]>();
  // Every pool connection is a pg.Client (connect.ts only subclasses it to add an 'error' listener).
  const prototype = pg.Client.prototype as unknown as { query: (this: pg.Client, ...args: unknown[]) => unknown };
  const original = prototype.query;
  vi.spyOn(prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      result.catch((error: { code?: string }) => {
        failures.set(this, [...(failures.get(this) ?? []), error.code ?? '?']);
      });
    }
    return result;
  });
  return failures;
}

describe('prepared statements that went stale on a connection', () => {
  it('after a column changes type, fail once on a connection and are prepared afresh there', async () => {
    expect(await runStatement(db, FIRST_NAMES)).toHaveLength(3);
    const failures = recordFailures();
    await client.query('ALTER TABLE users ALTER COLUMN name TYPE text');
    try {
      for (let i = 0; i < 4; i++) expect(await runStatement(db, FIRST_NAMES)).toEqual([{ name: 'User 1' }, { name: 'User 2' }, { name: 'User 3' }]);
      // The list itself (its page statement is prepared) still works, twice in a row.
      for (let i = 0; i < 2; i++) expect((await call<UserListOutput>(backend, 'users.list', { sort: 'name' })).rows).toHaveLength(25);
    } finally {
      await client.query('ALTER TABLE users ALTER COLUMN name TYPE varchar');
    }
    const stale = [...failures.values()].map((codes) => codes.filter((code) => code === '0A000').length);
    expect(stale.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Once per connection at most, not on every later use.
    expect(Math.max(...stale)).toBe(1);
  });

  it('after the session forgot them (DEALLOCATE ALL, as a pooler resets sessions), are prepared again', async () => {
    expect(await runStatement(db, FIRST_NAMES)).toHaveLength(3);
    await onEveryConnection((pooled) => pooled.query('DEALLOCATE ALL'));
    for (let i = 0; i < 3; i++) expect(await runStatement(db, FIRST_NAMES)).toHaveLength(3);
    // And stay prepared: the server has it again on the connection that ran it.
    const prepared = await onEveryConnection(async (pooled) => {
      const { rows } = await pooled.query('SELECT 1 FROM pg_prepared_statements WHERE name = $1', [statementName(FIRST_NAMES.text)]);
      return rows.length;
    });
    expect(prepared).toContain(1);
  });
});

describe('a time-boxed count', () => {
  const COUNT: Statement = { text: 'SELECT count(*) AS n FROM users a, users b, users c, users d', values: [], prepare: false };

  /** Every connection of the pool is outside any transaction, with the pool's own statement_timeout. */
  async function poolIsClean(): Promise<void> {
    const { rows: open } = await client.query(
      `SELECT state FROM pg_stat_activity WHERE datname = $1 AND application_name = 'simple-db' AND state LIKE 'idle in transaction%'`,
      [database],
    );
    expect(open).toEqual([]);
    const sessions = await onEveryConnection(async (pooled) => {
      // No parameters: the simple protocol, where a statement outside a transaction starts its own at its own start time.
      const { rows } = await pooled.query<{ timeout: string; fresh: boolean }>(
        `SELECT current_setting('statement_timeout') AS timeout, now() = statement_timestamp() AS fresh`,
      );
      return rows[0];
    });
    for (const session of sessions) expect(session).toEqual({ timeout: '30s', fresh: true });
  }

  it('that runs out of time leaves no time limit and no transaction behind', async () => {
    expect(await runTimeBoxed(db, COUNT, 1)).toBeNull();
    await poolIsClean();
  });

  it('whose time box cannot even be set ends its transaction all the same', async () => {
    // NaN is no valid statement_timeout: SET LOCAL fails after BEGIN has opened the transaction.
    await expect(runTimeBoxed(db, COUNT, Number.NaN)).rejects.toThrow(/statement_timeout/);
    await poolIsClean();
    expect(await runTimeBoxed(db, { text: 'SELECT count(*)::int AS n FROM users', values: [], prepare: false }, 5_000)).toEqual([{ n: 40 }]);
  });

  it('is run again on a fresh connection when the server dropped the pooled ones', async () => {
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 6 }, () => runStatement(db, FIRST_NAMES)));
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'simple-db'`, [database]);
      const counts = await Promise.all(
        Array.from({ length: 6 }, () => runTimeBoxed(db, { text: 'SELECT count(*)::int AS n FROM users', values: [], prepare: false }, 5_000)),
      );
      expect(counts).toEqual(Array.from({ length: 6 }, () => [{ n: 40 }]));
    }
  });
});
