import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { App as Backend } from '../../src/main/bootstrap';
import { sortKeys, type UserListInput, type UserListOutput } from '../../src/shared/contract';
import { EXACT_COUNT_LIMIT } from '../../src/main/users/service';
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
  let total: UserListOutput['total'] = { count: -1, estimated: false };
  do {
    const page: UserListOutput = await call<UserListOutput>(backend, 'users.list', { ...input, after });
    expect(page.rows.length).toBeLessThanOrEqual(input.pageSize ?? 25);
    ids.push(...page.rows.map((r) => r.id));
    total = page.total;
    after = page.nextCursor;
    pages++;
  } while (after && pages < 100);
  return { ids, pages, total };
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
    }
  }

  it('pages through search results with every page size', async () => {
    for (const pageSize of [25, 50, 100] as const) {
      const { ids, total } = await walk({ sort: 'name', direction: 'asc', pageSize, search: 'name 3' });
      expect(ids).toEqual(await expectedOrder('name', 'asc', 'name 3'));
      expect(total.count).toBe(ids.length);
    }
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
    for (const input of [
      { sort: 'name', after: page.nextCursor },
      { sort: 'email', after: 'not-a-cursor' },
      { sort: 'email', after: Buffer.from(JSON.stringify(['email', 'asc', '', "x'); DROP TABLE users; --", 'NaN'])).toString('base64url') },
    ]) {
      expect(await backend.dispatch('users.list', input)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'after' } });
    }
  });
});

describe('totals on a large table', () => {
  it('become the planner estimate, labelled as estimated', async () => {
    await client.query(
      `INSERT INTO users (email, name) SELECT 'bulk' || g || '@example.com', 'Bulk ' || g FROM generate_series(1, ${EXACT_COUNT_LIMIT + 2000}) AS g`,
    );
    await client.query('ANALYZE users');
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    const exact = rows[0]?.n ?? 0;
    const page = await call<UserListOutput>(backend, 'users.list', {});
    expect(page.total.estimated).toBe(true);
    expect(Math.abs(page.total.count - exact)).toBeLessThan(exact * 0.1);
    const searched = await call<UserListOutput>(backend, 'users.list', { search: 'bulk1' });
    expect(searched.total.estimated).toBe(true);
    expect(searched.total.count).toBeGreaterThan(0);
    // A search whose matches all fit on the first page is counted by that page: no "about 60"
    // next to the two rows shown.
    const few = await call<UserListOutput>(backend, 'users.list', { search: 'bulk1000@' });
    expect(few.rows.map((r) => r.email)).toEqual(['bulk1000@example.com']);
    expect(few.total).toEqual({ count: 1, estimated: false });
    const none = await call<UserListOutput>(backend, 'users.list', { search: 'zzz-no-such' });
    expect(none.total).toEqual({ count: 0, estimated: false });
  });
});
