import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/main/bootstrap';
import type { AppEvent, Job, UserDeletePreview, UserListOutput } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from '../support/database';

// A small database of its own: these tests delete (the big shared one is never written to).
let app: App;
let raw: pg.Client;
let database: string;
const events: AppEvent[] = [];

const USERS = 1_500;

beforeAll(async () => {
  const setup = await migratedBackend();
  app = setup.backend;
  database = setup.database;
  app.services.bus.subscribe((event) => events.push(event));
  raw = await rawClient(database);
});
afterAll(async () => {
  await raw?.end();
  await app?.close();
});

/**
 * Every test starts from the same rows: 1,500 users, group A (ids 1–100, "alpha" in the name),
 * the rest group B; users 1–10 own 3 products each, user 1,200 owns 2, and 5 products have no owner.
 */
beforeEach(async () => {
  await raw.query('TRUNCATE users, products RESTART IDENTITY CASCADE');
  await raw.query(
    `INSERT INTO users (email, name, created_at)
     SELECT 'del' || g || '@example.com', CASE WHEN g <= 100 THEN 'Alpha ' ELSE 'Beta ' END || g, timestamp '2024-01-01' + g * interval '1 hour'
       FROM generate_series(1, ${USERS}) AS g`,
  );
  await raw.query(
    `INSERT INTO products (name, owner_id)
     SELECT 'p' || g, CASE WHEN g <= 30 THEN (g - 1) / 3 + 1 WHEN g <= 32 THEN 1200 ELSE NULL END FROM generate_series(1, 37) AS g`,
  );
});

function finished(jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const check = (event: AppEvent) => {
      if (event.type === 'job.finished' && event.job.id === jobId) {
        stop();
        resolve(event.job);
      }
    };
    const stop = app.services.bus.subscribe(check);
    events.forEach(check);
  });
}

async function userCount(): Promise<number> {
  const { rows } = await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

async function unownedProducts(): Promise<number> {
  const { rows } = await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE owner_id IS NULL');
  return rows[0]!.n;
}

/** Simple DB's sessions on this database waiting for a lock: a statement of the job certainly in flight. */
async function appSessionsWaitingOnLock(): Promise<number> {
  const { rows } = await raw.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'simple-db' AND datname = $1 AND wait_event_type = 'Lock'`,
    [database],
  );
  return rows[0]!.n;
}

describe('previewing a bulk delete', () => {
  it('counts the ticked users that exist and the products they own', async () => {
    const preview = await call<UserDeletePreview>(app, 'users.deletePreview', { selection: { kind: 'ids', ids: [1, 2, 3, 3, 1200, 999_999] } });
    expect(preview).toEqual({ users: 4, productsUnowned: 3 * 3 + 2 });
  });

  it('counts every user matching the search and filters, and their products', async () => {
    expect(await call<UserDeletePreview>(app, 'users.deletePreview', { selection: { kind: 'matching', search: 'alpha' } })).toEqual({
      users: 100,
      productsUnowned: 30,
    });
    expect(
      await call<UserDeletePreview>(app, 'users.deletePreview', {
        selection: { kind: 'matching', search: 'alpha', filters: { products: 'none' } },
      }),
    ).toEqual({ users: 90, productsUnowned: 0 });
    // The whole of March 1st included: user g was created g hours into 2024.
    const { rows } = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE id >= 1001 AND created_at < '2024-03-02'`);
    expect(
      await call<UserDeletePreview>(app, 'users.deletePreview', {
        selection: { kind: 'matching', search: '', filters: { idFrom: 1001, createdTo: '2024-03-01' } },
      }),
    ).toEqual({ users: rows[0]!.n, productsUnowned: 2 });
  });
});

describe('the bulk delete job', () => {
  it('deletes the ticked users, un-owns their products and reports both', async () => {
    const { jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection: { kind: 'ids', ids: [1, 2, 50] }, expectedUsers: 3 });
    const job = await finished(jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      kind: 'users.deleteMany',
      title: 'Delete 3 users',
      result: { deleted: 3, productsUnowned: 6 },
      summary: 'Deleted 3 users; 6 products no longer have an owner.',
    });
    expect(await userCount()).toBe(USERS - 3);
    expect(await unownedProducts()).toBe(5 + 6);
    // The list's total follows (the cached estimate is adjusted, or the table counted).
    expect((await call<UserListOutput>(app, 'users.list', {})).total?.count).toBe(USERS - 3);
  });

  it('deletes all matching the search and filters, in chunks, in one transaction', async () => {
    const selection = { kind: 'matching', search: 'beta', filters: { createdFrom: '2024-01-10' } };
    const preview = await call<UserDeletePreview>(app, 'users.deletePreview', { selection });
    const { rows } = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE name LIKE 'Beta %' AND created_at >= '2024-01-10'`);
    expect(preview).toEqual({ users: rows[0]!.n, productsUnowned: 2 });
    const { jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection, expectedUsers: preview.users });
    const job = await finished(jobId);
    expect(job).toMatchObject({ state: 'succeeded', result: { deleted: preview.users, productsUnowned: 2 } });
    expect(job.title).toBe(`Delete ${preview.users.toLocaleString('en-US')} users matching “beta”, created on or after 2024-01-10`);
    expect(await userCount()).toBe(USERS - preview.users);
    const { rows: left } = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE name LIKE 'Beta %'`);
    expect(left[0]!.n).toBe(USERS - 100 - preview.users);
  });

  it('refuses when the selection no longer holds the previewed number: CONFLICT, nothing deleted', async () => {
    const selection = { kind: 'matching', search: 'alpha' };
    const preview = await call<UserDeletePreview>(app, 'users.deletePreview', { selection });
    await raw.query(`INSERT INTO users (email, name) VALUES ('late@example.com', 'Alpha Late')`);
    const result = await app.dispatch('users.deleteMany', { selection, expectedUsers: preview.users });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        field: 'expectedUsers',
        message:
          '101 users match now, not 100 as when you reviewed the deletion (someone changed them meanwhile). Nothing was deleted: review the selection and try again.',
      },
    });
    expect(await userCount()).toBe(USERS + 1);
  });

  it('rolls everything back when the selection changes while it deletes', async () => {
    // Another session holds one of the ticked users, so the job's delete waits for it; meanwhile
    // that user is renamed out of the selection and committed: the job deletes one fewer than
    // reviewed, refuses, and rolls back the rest.
    const blocker = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM users WHERE id = 60 FOR UPDATE');
    try {
      const selection = { kind: 'matching', search: 'alpha' };
      const { jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection, expectedUsers: 100 });
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(1);
      await blocker.query(`UPDATE users SET name = 'Renamed 60' WHERE id = 60`);
      await blocker.query('COMMIT');
      const job = await finished(jobId);
      expect(job).toMatchObject({
        state: 'failed',
        error: { code: 'CONFLICT', message: expect.stringMatching(/^99 users match now, not 100/) as unknown },
      });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect(await userCount()).toBe(USERS);
    expect(await unownedProducts()).toBe(5);
  });

  it('cancel rolls back what was already deleted', async () => {
    // 1,200 ticked ids are two statements; a lock on a user of the second holds the job there,
    // after the first thousand are deleted (inside its transaction).
    const blocker = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM users WHERE id = 1150 FOR UPDATE');
    try {
      const ids = Array.from({ length: 1200 }, (_, i) => i + 1);
      const { jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection: { kind: 'ids', ids }, expectedUsers: 1200 });
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(async () => (await call<Job>(app, 'jobs.get', { id: jobId })).progress, { timeout: 5_000 })
        .toMatchObject({ done: 1000, total: 1200 });
      const cancelled = await call<Job>(app, 'jobs.cancel', { id: jobId });
      expect(cancelled.state).toBe('cancelled');
      await expect.poll(appSessionsWaitingOnLock, { timeout: 1000 }).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(await userCount()).toBe(USERS);
    expect(await unownedProducts()).toBe(5);
  });

  it('starts at once when checking the selection is slow, so it can be cancelled while it checks', async () => {
    // Another session holds the table: the handler's quick check runs out of time, and the job counts first.
    const blocker = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    try {
      const started = performance.now();
      const { jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection: { kind: 'matching' }, expectedUsers: USERS });
      expect(performance.now() - started).toBeLessThan(2_000);
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(async () => (await call<Job>(app, 'jobs.get', { id: jobId })).progress, { timeout: 5_000 })
        .toMatchObject({ phase: 'Checking the selection' });
      expect((await call<Job>(app, 'jobs.cancel', { id: jobId })).state).toBe('cancelled');
      await expect.poll(appSessionsWaitingOnLock, { timeout: 1000 }).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(await userCount()).toBe(USERS);
  });

  it('a changed selection found by the job’s own check is refused before anything is deleted', async () => {
    const blocker = await rawClient(database);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    let jobId: string;
    try {
      ({ jobId } = await call<{ jobId: string }>(app, 'users.deleteMany', { selection: { kind: 'matching', search: 'alpha' }, expectedUsers: 99 }));
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(1);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const job = await finished(jobId);
    expect(job).toMatchObject({
      state: 'failed',
      error: { code: 'CONFLICT', message: expect.stringMatching(/^100 users match now, not 99/) as unknown },
    });
    expect(await userCount()).toBe(USERS);
  });

  it('refuses bad selections before anything starts', async () => {
    expect(await app.dispatch('users.deleteMany', { selection: { kind: 'ids', ids: [] }, expectedUsers: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'selection.ids' },
    });
    // The search sits inside the selection here: the error names it as sent (users.list's is plain 'search').
    for (const [procedure, search, match] of [
      ['users.deletePreview', 'x', 'id'],
      ['users.deletePreview', '0', 'id'],
      ['users.deleteMany', 'x', 'id'],
      ['users.deleteMany', 'a@b', 'domain'],
    ] as const) {
      const selection = { kind: 'matching', search, match };
      expect(await app.dispatch(procedure, procedure === 'users.deleteMany' ? { selection, expectedUsers: 1 } : { selection })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'selection.search' },
      });
    }
    expect(await userCount()).toBe(USERS);
  });
});
