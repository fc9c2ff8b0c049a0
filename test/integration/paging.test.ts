import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { App as Backend } from '../../src/main/bootstrap';
import { sortKeys, userListInputSchema, type UserListInput, type UserListOutput } from '../../src/shared/contract';
import { invalidate } from '../../src/main/db/table-facts';
import { createUserService, EXACT_COUNT_LIMIT } from '../../src/main/users/service';
import { call, migratedBackend, rawClient } from '../support/database';

let backend: Backend;
let client: pg.Client;
const ROWS = 237;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
  // Repeated names and identical timestamps, so ties must be broken by id for paging to be right.
  await client.query(
    `INSERT INTO users (email, name, created_at)
     SELECT 'user' || lpad(g::text, 4, '0') || '@example.com',
            'Name ' || (g % 7),
            timestamp '2026-01-01 00:00:00' + ((g % 11) || ' seconds')::interval + ((g % 3) || ' microseconds')::interval
       FROM generate_series(1, ${ROWS}) AS g`,
  );
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

async function walk(input: Omit<UserListInput, 'after'>): Promise<{ ids: number[]; pages: number; total: UserListOutput['total'] }> {
  const ids: number[] = [];
  let after: string | null = null;
  let pages = 0;
  let total: UserListOutput['total'] = null;
  do {
    const page: UserListOutput = await call<UserListOutput>(backend, 'users.list', { ...input, after });
    expect(page.rows.length).toBeLessThanOrEqual(input.pageSize ?? 25);
    // Only the first page is known to start at the first row.
    expect(page.previousCursor === null).toBe(after === null);
    ids.push(...page.rows.map((r) => r.id));
    total = page.total;
    after = page.nextCursor;
    pages++;
  } while (after && pages < 100);
  return { ids, pages, total };
}

/** The same order walked from the last page back to the first with Previous. */
async function walkBack(input: Omit<UserListInput, 'before' | 'from'>): Promise<number[]> {
  const pages: number[][] = [];
  let page = await call<UserListOutput>(backend, 'users.list', { ...input, from: 'last' });
  expect(page.nextCursor).toBeNull();
  pages.unshift(page.rows.map((r) => r.id));
  while (page.previousCursor && pages.length < 100) {
    page = await call<UserListOutput>(backend, 'users.list', { ...input, before: page.previousCursor });
    pages.unshift(page.rows.map((r) => r.id));
  }
  // The walk ends on the first page: a full page from the first row, even where it overlaps the page after it.
  expect(pages[0]).toEqual((await expectedIds(input)).slice(0, input.pageSize ?? 25));
  return [...new Set(pages.flat())];
}

function expectedIds(input: Omit<UserListInput, 'before' | 'from'>): Promise<number[]> {
  return expectedOrder(input.sort ?? 'id', input.direction ?? 'asc', input.search ?? '');
}

async function expectedOrder(sort: string, direction: 'asc' | 'desc', search = ''): Promise<number[]> {
  const where = search ? `WHERE email ILIKE $1 OR name ILIKE $1` : '';
  const order = sort === 'id' ? `id ${direction}` : `${sort} ${direction}, id ${direction}`;
  const { rows } = await client.query<{ id: number }>(`SELECT id FROM users ${where} ORDER BY ${order}`, search ? [`%${search}%`] : []);
  return rows.map((r) => r.id);
}

describe('keyset paging', () => {
  for (const sort of sortKeys) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`walks every row exactly once, sorted by ${sort} ${direction}`, async () => {
        const { ids, pages, total } = await walk({ sort, direction, pageSize: 25 });
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(await expectedOrder(sort, direction));
        expect(pages).toBe(Math.ceil(ROWS / 25));
        expect(total).toEqual({ count: ROWS, estimated: false });
      });

      it(`walks back from the last page to the first with Previous, sorted by ${sort} ${direction}`, async () => {
        // The last page holds the last 25 rows; the first page reached going back holds the first 25, not a remainder.
        const back = await walkBack({ sort, direction, pageSize: 25 });
        expect(back).toEqual(await expectedOrder(sort, direction));
      });
    }
  }

  it('pages through search results with every page size', async () => {
    for (const pageSize of [25, 50, 100] as const) {
      const { ids, total } = await walk({ sort: 'name', direction: 'asc', pageSize, search: 'name 3' });
      expect(ids).toEqual(await expectedOrder('name', 'asc', 'name 3'));
      expect(total?.count).toBe(ids.length);
      expect(await walkBack({ sort: 'name', direction: 'asc', pageSize, search: 'name 3' })).toEqual(ids);
    }
  });

  it('Previous with fewer than a page before the cursor shows the first page, known to be first', async () => {
    const order = await expectedOrder('created_at', 'desc');
    const first = await call<UserListOutput>(backend, 'users.list', { sort: 'created_at', direction: 'desc', pageSize: 25 });
    // Start a page 10 rows in (where locate would), then go back.
    const located = await call<{ cursor: string; row: number }>(backend, 'users.locate', {
      sort: 'created_at',
      direction: 'desc',
      target: { kind: 'id', id: order[10] },
    });
    expect(located.row).toBe(11);
    const at = await call<UserListOutput>(backend, 'users.list', { sort: 'created_at', direction: 'desc', at: located.cursor });
    expect(at.rows.map((r) => r.id)).toEqual(order.slice(10, 35));
    expect(at.previousCursor).not.toBeNull();
    const back = await call<UserListOutput>(backend, 'users.list', { sort: 'created_at', direction: 'desc', before: at.previousCursor });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.previousCursor).toBeNull();
    expect(back.nextCursor).not.toBeNull();
  });

  it('jumps to a row number exactly on a small table (no statistics needed)', async () => {
    const order = await expectedOrder('name', 'asc');
    const located = await call<{ cursor: string; row: number; approximate: boolean }>(backend, 'users.locate', {
      sort: 'name',
      target: { kind: 'row', row: 100 },
    });
    expect(located).toMatchObject({ row: 100, approximate: false, message: 'Row 100' });
    const page = await call<UserListOutput>(backend, 'users.list', { sort: 'name', at: located.cursor });
    expect(page.rows.map((r) => r.id)).toEqual(order.slice(99, 124));
    const half = await call<{ cursor: string; row: number }>(backend, 'users.locate', { sort: 'id', target: { kind: 'fraction', fraction: 0.5 } });
    expect(half.row).toBe(Math.round(0.5 * (order.length - 1)) + 1);
  });

  it('without withTotal, a page is one statement and has no total', async () => {
    const page = await call<UserListOutput>(backend, 'users.list', { sort: 'email', withTotal: false });
    expect(page.total).toBeNull();
    expect(page.rows).toHaveLength(25);
  });

  it('does not skip or repeat rows when one is added between pages', async () => {
    const first = await call<UserListOutput>(backend, 'users.list', { sort: 'email', pageSize: 25 });
    await call(backend, 'users.create', { email: 'aaa-inserted@example.com', name: 'Early' });
    const second = await call<UserListOutput>(backend, 'users.list', { sort: 'email', pageSize: 25, after: first.nextCursor });
    const lastOfFirst = first.rows[first.rows.length - 1]!.email;
    expect(second.rows[0]!.email > lastOfFirst).toBe(true);
    expect(second.rows.map((r) => r.id)).not.toContain(first.rows[0]!.id);
  });

  it('refuses a cursor from another sort, or a forged one', async () => {
    const page = await call<UserListOutput>(backend, 'users.list', { sort: 'email' });
    const [hash] = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString()) as [string];
    for (const input of [
      { sort: 'name', after: page.nextCursor },
      { sort: 'email', direction: 'desc', after: page.nextCursor },
      { sort: 'email', filters: { products: 'none' }, after: page.nextCursor },
      // The right order and search, but a value that is no email and an id out of range.
      { sort: 'email', after: Buffer.from(JSON.stringify([hash, 42, -1, 0])).toString('base64url') },
      { sort: 'email', after: Buffer.from(JSON.stringify([hash, 'a@b.c', 1, 'yes'])).toString('base64url') },
      { sort: 'email', after: 'not-a-cursor' },
      { sort: 'email', after: Buffer.from(JSON.stringify(['email', 'asc', '', "x'); DROP TABLE users; --", 'NaN'])).toString('base64url') },
    ]) {
      expect(await backend.dispatch('users.list', input)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'after' } });
    }
  });
});

describe('totals on a large table', () => {
  it('are exact when counting is quick, else the planner estimate, labelled as estimated', async () => {
    await client.query(
      `INSERT INTO users (email, name) SELECT 'bulk' || g || '@example.com', 'Bulk ' || g FROM generate_series(1, ${EXACT_COUNT_LIMIT + 2000}) AS g`,
    );
    await client.query('ANALYZE users');
    invalidate(backend.defaultConnection.db);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    const exact = rows[0]?.n ?? 0;
    const page = await call<UserListOutput>(backend, 'users.list', {});
    // The whole table, under a million rows, is counted once when that fits the time box (see
    // tableTotal); on a busy machine it may not, and the estimate is shown, labelled.
    if (page.total?.estimated) expect(Math.abs(page.total.count - exact)).toBeLessThan(exact * 0.1);
    else expect(page.total).toEqual({ count: exact, estimated: false });
    // A search is counted exactly when the count fits in its time box (here, with all the time it needs) …
    const service = createUserService(backend.defaultConnection.db, { countBudgetMs: 60_000 });
    const searched = await service.list(userListInputSchema.parse({ search: 'bulk1' }));
    const { rows: matching } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE email ILIKE '%bulk1%' OR name ILIKE '%bulk1%'`,
    );
    expect(searched.total).toEqual({ count: matching[0]!.n, estimated: false });
    // … and estimated, labelled, when it does not (no time at all), never below what the page shows.
    const hurried = await createUserService(backend.defaultConnection.db, { countBudgetMs: 1 }).list(userListInputSchema.parse({ search: 'bulk' }));
    expect(hurried.total?.estimated).toBe(true);
    expect(hurried.total!.count).toBeGreaterThan(hurried.rows.length);
    // A search whose matches all fit on the first page is counted by that page: no "about 60"
    // next to the two rows shown.
    const few = await call<UserListOutput>(backend, 'users.list', { search: 'bulk1000@' });
    expect(few.rows.map((r) => r.email)).toEqual(['bulk1000@example.com']);
    expect(few.total).toEqual({ count: 1, estimated: false });
    const none = await call<UserListOutput>(backend, 'users.list', { search: 'zzz-no-such' });
    expect(none.total).toEqual({ count: 0, estimated: false });
  });

  it('follow our own creates and deletes without reading the table again', async () => {
    const before = (await call<UserListOutput>(backend, 'users.list', {})).total!.count;
    const user = await call<{ id: number }>(backend, 'users.create', { email: 'counted@example.com', name: 'Counted' });
    expect((await call<UserListOutput>(backend, 'users.list', {})).total!.count).toBe(before + 1);
    await call(backend, 'users.delete', { id: user.id });
    expect((await call<UserListOutput>(backend, 'users.list', {})).total!.count).toBe(before);
  });
});
