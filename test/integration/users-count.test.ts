import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, Job } from '../../src/shared/contract';
import type { App } from '../../src/main/bootstrap';
import { call, migratedBackend, rawClient } from '../support/database';

const ROWS = 1_000_000;
let app: App;
let raw: pg.Client;
const events: AppEvent[] = [];

beforeAll(async () => {
  const setup = await migratedBackend();
  app = setup.backend;
  app.services.bus.subscribe((event) => events.push(event));
  raw = await rawClient(setup.database);
  // The count walks id ranges and does not need the trigram indexes; filling a million rows
  // through them would take minutes, so they go first.
  await raw.query('DROP INDEX ix_users_email_trgm, ix_users_name_trgm');
  // A million users; one in a thousand has "needle" in the name.
  await raw.query(
    `INSERT INTO users (email, name, created_at)
     SELECT 'user' || g || '@example.com', CASE WHEN g % 1000 = 0 THEN 'needle ' || g ELSE 'user ' || g END, now()
     FROM generate_series(1, $1) AS g`,
    [ROWS],
  );
  await raw.query('ANALYZE users');
}, 300_000);
afterAll(async () => {
  await raw?.end();
  await app?.close();
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

function firstProgress(jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const check = (event: AppEvent) => {
      if (event.type === 'job.progress' && event.job.id === jobId && event.job.progress) {
        stop();
        resolve(event.job);
      }
    };
    const stop = app.services.bus.subscribe(check);
    events.forEach(check);
  });
}

async function countQueriesRunning(): Promise<number> {
  const { rows } = await raw.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'simple-db' AND state = 'active' AND query LIKE 'SELECT count(*) AS count FROM users%'",
  );
  return Number(rows[0]!.n);
}

/** Simple DB's sessions that wait on a lock: a statement certainly in flight on the server. */
async function appSessionsWaitingOnLock(): Promise<number | undefined> {
  const { rows } = await raw.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'simple-db' AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n;
}

describe('users.count, the exact count as a job', () => {
  it('counts a million users exactly, reporting progress on the way', async () => {
    const { jobId } = await call<{ jobId: string }>(app, 'users.count', {});
    const job = await finished(jobId);
    expect(job).toMatchObject({ state: 'succeeded', kind: 'users.count', result: { count: ROWS, search: '' }, summary: '1,000,000 users in all.' });
    const progress = events.filter((e) => e.type === 'job.progress' && e.job.id === jobId && e.job.progress?.total);
    expect(progress.length).toBeGreaterThan(1);
    expect(job.progress).toMatchObject({ done: ROWS, total: ROWS, unit: 'ids' });
  });

  it('counts the current search exactly', async () => {
    const { jobId } = await call<{ jobId: string }>(app, 'users.count', { search: 'NEEDLE' });
    expect(await finished(jobId)).toMatchObject({
      state: 'succeeded',
      result: { count: ROWS / 1000, search: 'NEEDLE' },
      summary: '1,000 users match “NEEDLE”.',
    });
  });

  it('counts what the list shows: the match mode and the filters too', async () => {
    const cases = [
      { input: { search: 'needle', filters: { idTo: 500_000 } }, count: 500, summary: '500 users match “needle”, with ids up to 500,000.' },
      { input: { search: '#4242', match: 'id' }, count: 1, summary: '1 user with id 4242.' },
      { input: { search: 'USER77@example.com', match: 'email' }, count: 1, summary: '1 user with the email “USER77@example.com”.' },
      {
        input: { search: '@example.com', match: 'domain', filters: { idFrom: 999_001 } },
        count: 1000,
        summary: '1,000 users with emails at example.com, with ids from 999,001.',
      },
      { input: { filters: { products: 'some' } }, count: 0, summary: '0 users owning products.' },
    ];
    for (const { input, count, summary } of cases) {
      const { jobId } = await call<{ jobId: string }>(app, 'users.count', input);
      expect(await finished(jobId)).toMatchObject({ state: 'succeeded', result: { count }, summary });
    }
  });

  it('cancel stops the query on the server, not only our wait for it', async () => {
    // Another session holds the table, so the count's statement is certainly running (waiting) on
    // the server when we cancel it.
    const blocker = await rawClient(raw.database!);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    try {
      const { jobId } = await call<{ jobId: string }>(app, 'users.count', {});
      await firstProgress(jobId);
      // The job's statement reaches the server and waits for the lock.
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(1);
      const cancelled = await call<Job>(app, 'jobs.cancel', { id: jobId });
      expect(cancelled.state).toBe('cancelled');
      // Gone from the server within a second, although the lock it waited for is still held.
      await expect.poll(appSessionsWaitingOnLock, { timeout: 1000 }).toBe(0);
      expect(await countQueriesRunning()).toBe(0);
      expect((await finished(jobId)).state).toBe('cancelled');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('cancel works while every connection of the pool is busy, and stops only the one cancelled; counts are capped and never doubled', async () => {
    const blocker = await rawClient(raw.database!);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const jobIds: string[] = [];
    let lists: Promise<unknown>[] = [];
    try {
      // Three counts (the most that may run at once) and seven lists take all ten connections.
      for (const search of ['a', 'b', 'c']) jobIds.push((await call<{ jobId: string }>(app, 'users.count', { search })).jobId);
      lists = Array.from({ length: 7 }, (_, i) => app.dispatch('users.list', { search: `list${i}` }));
      await expect.poll(appSessionsWaitingOnLock, { timeout: 10_000 }).toBe(10);

      // The same count again is the same job; a fourth one is refused, saying what to do.
      expect(await call<{ jobId: string }>(app, 'users.count', { search: 'b' })).toEqual({ jobId: jobIds[1] });
      const fourth = await app.dispatch('users.count', { search: 'd' });
      expect(fourth).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringMatching(/3 counts are already running.*cancel one under Jobs/) as unknown },
      });
      // Products' counts share the cap: the pool is the same.
      expect(await app.dispatch('products.count', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

      const cancelled = await call<Job>(app, 'jobs.cancel', { id: jobIds[0]! });
      expect(cancelled.state).toBe('cancelled');
      await expect.poll(appSessionsWaitingOnLock, { timeout: 1000 }).toBe(9);
      for (const id of jobIds.slice(1)) expect((await call<Job>(app, 'jobs.get', { id })).state).toBe('running');
    } finally {
      await Promise.all(jobIds.map((id) => app.dispatch('jobs.cancel', { id })));
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    for (const result of await Promise.all(lists)) expect(result).toMatchObject({ ok: true });
    for (const id of jobIds) expect((await finished(id)).state).toBe('cancelled');
    expect(await appSessionsWaitingOnLock()).toBe(0);
  });

  it('jobs.list and jobs.get show the jobs; an unknown id is NOT_FOUND', async () => {
    const { jobs } = await call<{ jobs: Job[] }>(app, 'jobs.list');
    expect(jobs.length).toBeGreaterThanOrEqual(6);
    expect(jobs.every((job) => job.state !== 'running')).toBe(true);
    expect(await call<Job>(app, 'jobs.get', { id: jobs[0]!.id })).toMatchObject({ id: jobs[0]!.id });
    const missing = await app.dispatch('jobs.get', { id: 'no-such-job' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a search with control characters, or an id search that is no number, is refused before any job starts', async () => {
    const result = await app.dispatch('users.count', { search: 'a\u0000b' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'search' } });
    const before = (await call<{ jobs: Job[] }>(app, 'jobs.list')).jobs.length;
    expect(await app.dispatch('users.count', { search: 'abc', match: 'id' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'search' },
    });
    expect((await call<{ jobs: Job[] }>(app, 'jobs.list')).jobs).toHaveLength(before);
  });
});
