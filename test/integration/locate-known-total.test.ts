import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { runTimeBoxed } from '../../src/main/db/prepared';
import { timeBoxedCount } from '../../src/main/lists/keyset';
import { createUserService } from '../../src/main/users/service';
import { userListInputSchema, userLocateInputSchema, type LocateOutput, type UserListInput, type UserListOutput } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from '../support/database';

// The findings of an admin probing a million users, on a database of its own: 30,000 users, the
// even ids owning a product ("owns some": 15,000), so the lists treat the table as large.
let backend: Backend;
let client: pg.Client;
const USERS = 30_000;
const OWNERS = 15_000;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
  await client.query(
    `INSERT INTO users (email, name) SELECT 'k' || g || '@example.com', 'User ' || lpad(g::text, 5, '0') FROM generate_series(1, ${USERS}) AS g`,
  );
  await client.query(`INSERT INTO products (name, owner_id) SELECT 'Thing ' || g, g * 2 FROM generate_series(1, ${OWNERS}) AS g`);
  await client.query('VACUUM ANALYZE users, products');
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

const list = (input: UserListInput) => call<UserListOutput>(backend, 'users.list', input);
const locate = (input: Record<string, unknown>) => call<LocateOutput>(backend, 'users.locate', input);
/** A service whose counts never fit their time box: every size is the planner's estimate. */
const hurried = () => createUserService(backend.defaultConnection.db, { countBudgetMs: 1 });
const some = { filters: { products: 'some' as const } };

describe('Go to uses the total the window knows exactly', () => {
  it('a share and a row number are of the known total, not of the estimate', async () => {
    const estimate = await hurried().locate(userLocateInputSchema.parse({ ...some, target: { kind: 'fraction', fraction: 1 } }));
    expect(estimate.approximate).toBe(true);
    const half = await hurried().locate(userLocateInputSchema.parse({ ...some, knownTotal: OWNERS, target: { kind: 'fraction', fraction: 0.5 } }));
    expect(half).toMatchObject({
      row: Math.round(0.5 * (OWNERS - 1)) + 1,
      message: `About row ${(Math.round(0.5 * (OWNERS - 1)) + 1).toLocaleString('en-US')}`,
    });
    // The landing itself is near that row (ids spread evenly here: the id order is the row order).
    const page = await list({ ...some, at: half.cursor, withTotal: false });
    expect(Math.abs(page.rows[0]!.id / 2 - OWNERS / 2)).toBeLessThan(OWNERS * 0.02);
    const row = await hurried().locate(userLocateInputSchema.parse({ ...some, knownTotal: OWNERS, target: { kind: 'row', row: 14_000 } }));
    expect(row).toMatchObject({ row: 14_000, message: 'About row 14,000' });
  });

  it('a row past the end lands on the last full page and says so; 100% is the last full page too', async () => {
    const past = await locate({ ...some, knownTotal: OWNERS, target: { kind: 'row', row: 2_000_000 } });
    expect(past).toMatchObject({ row: OWNERS - 24, approximate: false, message: 'There are only 15,000 users; showing the last page' });
    const page = await list({ ...some, at: past.cursor, withTotal: false });
    expect(page.rows.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => (OWNERS - 24 + i) * 2));
    expect(page.nextCursor).toBeNull();

    const end = await locate({ ...some, knownTotal: OWNERS, pageSize: 50, target: { kind: 'fraction', fraction: 1 } });
    expect(end).toMatchObject({ row: OWNERS - 49, approximate: false, message: 'The last page' });
    const last = await list({ ...some, pageSize: 50, at: end.cursor, withTotal: false });
    expect(last.rows).toHaveLength(50);
    expect(last.nextCursor).toBeNull();

    // Without a known total: the estimate, said as one.
    const guessed = await hurried().locate(userLocateInputSchema.parse({ ...some, target: { kind: 'row', row: 2_000_000 } }));
    expect(guessed).toMatchObject({
      approximate: true,
      message: expect.stringMatching(/^There are only about [\d,]+ users; showing the last page$/) as unknown,
    });
    expect((await list({ ...some, at: guessed.cursor, withTotal: false })).rows).toHaveLength(25);
  });

  it('a known total that is not a whole number of rows is refused on its field', async () => {
    expect(await backend.dispatch('users.locate', { knownTotal: -1, target: { kind: 'row', row: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'knownTotal' },
    });
    expect(await backend.dispatch('products.locate', { knownTotal: 1.5, target: { kind: 'row', row: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'knownTotal' },
    });
  });
});

describe('counts that run out of time', () => {
  const db = () => backend.defaultConnection.db;

  it('are not tried again for a while with the same or a shorter budget: the estimate stands in at once', async () => {
    const slow = { text: `SELECT count(*) AS count FROM users, pg_sleep(0.4) WHERE id < $1`, values: [7], prepare: false };
    let started = performance.now();
    expect(await timeBoxedCount(db(), slow, 150)).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    expect(await timeBoxedCount(db(), slow, 150)).toBeNull();
    expect(await timeBoxedCount(db(), slow, 100)).toBeNull();
    expect(performance.now() - started).toBeLessThan(100);
    // Another selection (other values) is its own count; a longer budget may be enough.
    expect(await timeBoxedCount(db(), { ...slow, values: [8] }, 5_000)).toBe(7);
    expect(await timeBoxedCount(db(), slow, 5_000)).toBe(6);
  });

  it('run without parallel workers, so a cancelled one leaves no workers to terminate', async () => {
    expect(await runTimeBoxed(db(), { text: 'SHOW max_parallel_workers_per_gather', values: [], prepare: false }, 1_000)).toEqual([
      { max_parallel_workers_per_gather: '0' },
    ]);
  });
});

describe('the total of a whole table', () => {
  it('is exact when the table counts within the budget, and follows our own writes', async () => {
    expect((await list({})).total).toEqual({ count: USERS, estimated: false });
    const user = await call<{ id: number }>(backend, 'users.create', { email: 'one-more@example.com', name: 'One more' });
    expect((await list({})).total).toEqual({ count: USERS + 1, estimated: false });
    await call(backend, 'users.delete', { id: user.id });
    expect((await list(userListInputSchema.parse({}))).total).toEqual({ count: USERS, estimated: false });
    // Positions in it are of that count: the end is exact.
    expect(await locate({ target: { kind: 'row', row: USERS + 5 } })).toMatchObject({
      row: USERS - 24,
      approximate: false,
      message: 'There are only 30,000 users; showing the last page',
    });
  });
});
