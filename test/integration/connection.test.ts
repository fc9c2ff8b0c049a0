import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { findFreePort } from '../../src/main/embedded/free-port';
import type { AppInfo, UserListOutput } from '../../src/shared/contract';
import { call, createTestDatabase, migratedBackend, rawClient, serverConnection } from '../support/database';

describe('a dropped connection', () => {
  let backend: Backend;
  let admin: pg.Client;
  let database: string;
  beforeAll(async () => {
    ({ backend, database } = await migratedBackend());
    admin = await rawClient('postgres');
  });
  afterAll(async () => {
    await admin?.end();
    await backend?.close();
  });

  async function dropAppConnections(): Promise<number> {
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'simple-db'`,
      [database],
    );
    return rowCount ?? 0;
  }

  it('is replaced on the next request, without a crash or a hang', async () => {
    await call(backend, 'users.create', { email: 'before@example.com', name: 'Before' });
    expect(await dropAppConnections()).toBeGreaterThan(0);
    // The pool was holding idle connections the server just killed; the request still works.
    const page = await call<UserListOutput>(backend, 'users.list', {});
    expect(page.rows.map((r) => r.email)).toEqual(['before@example.com']);
    await call(backend, 'users.create', { email: 'after@example.com', name: 'After' });
  });

  it('is replaced for every connection the pool held', async () => {
    // Fill the pool with several connections, drop them all, then use them all again.
    await Promise.all(Array.from({ length: 8 }, () => call(backend, 'users.list', {})));
    await dropAppConnections();
    const results = await Promise.all(Array.from({ length: 8 }, () => backend.dispatch('users.list', {})));
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('dropped while connections are still being opened: no crash, every answer ok or CONNECTION', async () => {
    // The drop races the pool opening new connections; before every client had an 'error'
    // listener from birth, this raised uncaught exceptions that would take the app down.
    for (let round = 0; round < 30; round++) {
      const calls = Array.from({ length: 8 }, () => backend.dispatch('users.list', {}));
      await dropAppConnections();
      for (const result of await Promise.all(calls)) {
        if (!result.ok) expect(result.error.code).toBe('CONNECTION');
      }
    }
    expect(await backend.dispatch('users.list', {})).toMatchObject({ ok: true });
  });

  /** Holds an exclusive lock on users, so the app's next statement waits on it (is "in flight"). */
  async function withUsersLocked(whileLocked: () => Promise<void>): Promise<void> {
    const blocker = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    try {
      await whileLocked();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  }

  /** PostgreSQL has no event for "a session started waiting on a lock": poll its activity view. */
  async function appWaitingOnLock(): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const { rowCount } = await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'simple-db' AND wait_event_type = 'Lock'`,
        [database],
      );
      if (rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the app never waited on the lock');
  }

  it('cut off in the middle of a write: a clear CONNECTION error and no half-written row', async () => {
    const before = await call<UserListOutput>(backend, 'users.list', {});
    let result: Awaited<ReturnType<Backend['dispatch']>> | undefined;
    await withUsersLocked(async () => {
      const create = backend.dispatch('users.create', { email: 'cut-off@example.com', name: 'Cut off' });
      await appWaitingOnLock();
      await dropAppConnections();
      result = await create;
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONNECTION',
        message: expect.stringMatching(/(was lost before the request finished|an admin ended this session\))\. An interrupted change is rolled back/),
      },
    });
    const after = await call<UserListOutput>(backend, 'users.list', {});
    expect(after.total).toEqual(before.total);
    expect(after.rows.map((r) => r.email)).not.toContain('cut-off@example.com');
  });

  it('cut off in the middle of a read: retried on a fresh connection, the admin sees the rows', async () => {
    let list: Promise<Awaited<ReturnType<Backend['dispatch']>>> | undefined;
    await withUsersLocked(async () => {
      list = backend.dispatch('users.list', {});
      await appWaitingOnLock();
      await dropAppConnections();
    });
    expect(await list).toMatchObject({ ok: true });
  });

  it('reports the pool as named in pg_stat_activity (application_name)', async () => {
    await call(backend, 'users.list', {});
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'simple-db'`,
      [database],
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});

describe('connection problems are told apart', () => {
  const open: Backend[] = [];
  afterAll(() => Promise.all(open.map((b) => b.close())));

  async function infoError(url: string) {
    const backend = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    open.push(backend);
    const result = await backend.dispatch('app.info', {});
    expect(result.ok).toBe(false);
    return (result as { ok: false; error: { code: string; message: string } }).error;
  }

  it('nothing listening', async () => {
    const port = await findFreePort();
    const error = await infoError(`postgresql://u:secret@127.0.0.1:${port}/db`);
    expect(error).toEqual({
      code: 'CONNECTION',
      message: `Nothing is accepting connections at 127.0.0.1:${port}/db. Check that PostgreSQL is running and listening there. Fix the host and port in DATABASE_URL and restart Simple DB.`,
    });
  });

  it('a wrong password, never echoing it', async () => {
    const { host, port, user } = serverConnection();
    const { name } = await createTestDatabase();
    const error = await infoError(`postgresql://${user}:wrong-secret@${host}:${port}/${name}`);
    expect(error.code).toBe('CONNECTION');
    expect(error.message).toContain(`PostgreSQL rejected the password for user "${user}"`);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('a database that does not exist', async () => {
    const { host, port, user, password } = serverConnection();
    const error = await infoError(`postgresql+psycopg://${user}:${encodeURIComponent(password)}@${host}:${port}/no_such_db`);
    expect(error).toEqual({
      code: 'CONNECTION',
      message: `The database in ${host}:${port}/no_such_db does not exist. Create it (createdb), or fix the database name in DATABASE_URL and restart Simple DB.`,
    });
  });

  it('an unknown host', async () => {
    const error = await infoError('postgresql://u:p@no-such-host.invalid:5432/db');
    expect(error.code).toBe('CONNECTION');
    expect(error.message).toContain('cannot be found');
  });

  it('the seed URL form reaches a real server and reports what it is', async () => {
    const { host, port, user, password } = serverConnection();
    const { name } = await createTestDatabase();
    const backend = await startApp({
      dataDir: '/nonexistent',
      databaseUrl: `postgresql+psycopg://${user}:${encodeURIComponent(password)}@${host}:${port}/${name}`,
      version: 'test',
      log: () => {},
    });
    open.push(backend);
    const info = await call<AppInfo>(backend, 'app.info');
    expect(info.database).toMatchObject({ kind: 'url', host, port, name, user });
    expect(info.database.serverVersion).toMatch(/^15\./);
    expect(info.migrations.applied).toEqual([]);
    expect(info.migrations.pending.length).toBeGreaterThan(0);
  });
});
