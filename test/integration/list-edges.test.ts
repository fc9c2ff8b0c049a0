import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { LocateOutput, UserListInput, UserListOutput } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from '../support/database';

// The list engine at its edges, on a small database of its own (rows written as other tools would).
let backend: Backend;
let client: pg.Client;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

const list = (input: UserListInput) => call<UserListOutput>(backend, 'users.list', input);
const locate = (input: Record<string, unknown>) => call<LocateOutput>(backend, 'users.locate', input);
const names = (page: UserListOutput) => page.rows.map((row) => row.name);

describe('a page opened at a located row', () => {
  beforeEach(async () => {
    await client.query('TRUNCATE users, products RESTART IDENTITY CASCADE');
    // Eleven users: Alice 01 … Alice 11, ids 1 to 11, so the id and name orders agree.
    await client.query(
      `INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'Alice ' || lpad(g::text, 2, '0') FROM generate_series(1, 11) AS g`,
    );
  });

  it('at the very first row is the first page: exactly the count, and no Previous', async () => {
    for (const [sort, target] of [
      ['id', { kind: 'id', id: 1 }],
      ['name', { kind: 'value', value: 'A' }],
      ['name', { kind: 'fraction', fraction: 0 }],
    ] as const) {
      const landing = await locate({ sort, target });
      const page = await list({ sort, at: landing.cursor, withTotal: true });
      expect(page.rows).toHaveLength(11);
      // Not 12: no row before it was ever seen, so none is counted.
      expect(page.total).toEqual({ count: 11, estimated: false });
      expect(page.previousCursor).toBeNull();
      expect(page.nextCursor).toBeNull();
    }
  });

  it('in an empty selection is an empty first page counted as 0', async () => {
    const landing = await locate({ sort: 'name', search: 'nobody-here', target: { kind: 'value', value: 'A' } });
    const page = await list({ sort: 'name', search: 'nobody-here', at: landing.cursor });
    expect(page).toMatchObject({ rows: [], total: { count: 0, estimated: false }, previousCursor: null, nextCursor: null });
  });

  it('past the first row leads back to the first page, and its total is still exact', async () => {
    const landing = await locate({ sort: 'name', direction: 'desc', target: { kind: 'id', id: 5 } });
    const page = await list({ sort: 'name', direction: 'desc', at: landing.cursor });
    expect(names(page)).toEqual(['Alice 05', 'Alice 04', 'Alice 03', 'Alice 02', 'Alice 01']);
    expect(page.total).toEqual({ count: 11, estimated: false });
    expect(page.previousCursor).not.toBeNull();
    const back = await list({ sort: 'name', direction: 'desc', before: page.previousCursor });
    expect(back.rows).toHaveLength(11);
    expect(back).toMatchObject({ previousCursor: null, nextCursor: null, total: { count: 11, estimated: false } });
    // Past the last row: nothing to show, but Previous still leads to the rows before.
    const end = await locate({ sort: 'id', target: { kind: 'value', value: '500' } });
    const empty = await list({ sort: 'id', at: end.cursor });
    expect(empty).toMatchObject({ rows: [], nextCursor: null, total: { count: 11, estimated: false } });
    expect((await list({ sort: 'id', before: empty.previousCursor })).rows).toHaveLength(11);
  });

  it('after a cursor whose rows before were deleted meanwhile: exactly the rows that are left', async () => {
    await client.query(
      `INSERT INTO users (email, name) SELECT 'g' || g || '@example.com', 'Gone ' || lpad(g::text, 2, '0') FROM generate_series(1, 30) AS g`,
    );
    const first = await list({ sort: 'name', search: 'gone', withTotal: false });
    expect(first.rows).toHaveLength(25);
    // Another tool deletes the whole first page before Next.
    await client.query(`DELETE FROM users WHERE name LIKE 'Gone %' AND name <= 'Gone 25'`);
    const next = await list({ sort: 'name', search: 'gone', after: first.nextCursor });
    expect(names(next)).toEqual(['Gone 26', 'Gone 27', 'Gone 28', 'Gone 29', 'Gone 30']);
    expect(next.total).toEqual({ count: 5, estimated: false });
  });
});

describe('a very long sort key', () => {
  it('pages on and back past a 1,500-character name', async () => {
    await client.query('TRUNCATE users, products RESTART IDENTITY CASCADE');
    // Longer than our forms allow, as another tool may store it: rows 25 and 26 of the name order.
    await client.query(
      `INSERT INTO users (email, name)
       SELECT 'l' || g || '@example.com', 'Long ' || lpad(g::text, 2, '0') || CASE WHEN g IN (25, 26) THEN repeat('x', 1493) ELSE '' END
         FROM generate_series(1, 27) AS g`,
    );
    const first = await list({ sort: 'name' });
    expect(first.rows[24]!.name).toHaveLength(1500);
    expect(first.nextCursor!.length).toBeGreaterThan(2000);
    const second = await list({ sort: 'name', after: first.nextCursor });
    expect(names(second)).toEqual([`Long 26${'x'.repeat(1493)}`, 'Long 27']);
    expect(second.previousCursor!.length).toBeGreaterThan(2000);
    const back = await list({ sort: 'name', before: second.previousCursor });
    expect(names(back)).toEqual(names(first));
  });

  it('a cursor too long to be one is a VALIDATION error in words, on its field', async () => {
    for (const field of ['after', 'before', 'at'] as const) {
      expect(await backend.dispatch('users.list', { [field]: 'x'.repeat(70_000) })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field, message: 'The page cursor is too long (at most 65,536 characters). Go back to the first page.' },
      });
    }
  });
});

describe('values PostgreSQL would refuse are refused first, on their field', () => {
  it('control characters in a value to go to', async () => {
    for (const value of ['Al\u0000ice', 'Al\tice', 'line\nbreak']) {
      for (const procedure of ['users.locate', 'products.locate']) {
        expect(await backend.dispatch(procedure, { sort: 'name', target: { kind: 'value', value } })).toMatchObject({
          ok: false,
          error: {
            code: 'VALIDATION',
            field: 'target.value',
            message: 'The value to go to must not contain control characters (tabs, line breaks, NUL)',
          },
        });
      }
    }
    // A pasted value's trailing line break is trimmed, not refused.
    expect(await locate({ sort: 'name', target: { kind: 'value', value: 'Alice\n' } })).toMatchObject({ approximate: false });
  });

  it('year 0000 in a date filter', async () => {
    for (const [procedure, input, field] of [
      ['users.list', { filters: { createdFrom: '0000-01-01' } }, 'filters.createdFrom'],
      ['users.list', { filters: { createdTo: '0000-12-31' } }, 'filters.createdTo'],
      ['users.count', { filters: { createdFrom: '0000-02-29' } }, 'filters.createdFrom'],
      ['users.deletePreview', { selection: { kind: 'matching', filters: { createdTo: '0000-01-01' } } }, 'selection.filters.createdTo'],
    ] as const) {
      expect(await backend.dispatch(procedure, input)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field, message: 'Dates start at year 1' },
      });
    }
    expect((await list({ filters: { createdFrom: '0001-01-01' } })).rows.length).toBeGreaterThan(0);
  });
});

describe('ids as an admin types them, and range errors in words', () => {
  beforeEach(async () => {
    await client.query('TRUNCATE users, products RESTART IDENTITY CASCADE');
    await client.query(`INSERT INTO users (id, email, name) VALUES (42, 'a42@example.com', 'A'), (500000, 'a500000@example.com', 'B')`);
    await client.query(`INSERT INTO products (id, name) VALUES (42, 'P42'), (1000000, 'P1000000')`);
  });

  it('an id search takes thousands separators, a leading # and spaces, and refuses what is not a whole number', async () => {
    for (const [search, id] of [
      ['500,000', 500000],
      ['500.000', 500000],
      ['500 000', 500000],
      ['#42', 42],
      ['42 ', 42],
    ] as const) {
      expect((await list({ search, match: 'id', withTotal: false })).rows.map((r) => r.id)).toEqual([id]);
    }
    for (const [search, id] of [
      ['1,000,000', 1000000],
      ['#42', 42],
    ] as const) {
      const page = await call<{ rows: Array<{ id: number }> }>(backend, 'products.list', { search, match: 'id', withTotal: false });
      expect(page.rows.map((r) => r.id)).toEqual([id]);
    }
    // A decimal is not an id with a separator: refused rather than read as 15.
    for (const search of ['1.5', '12,34', '4 2 0']) {
      expect(await backend.dispatch('users.list', { search, match: 'id' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'search' },
      });
      expect(await backend.dispatch('products.list', { search, match: 'id' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'search' },
      });
    }
    // Go to a value of the id column reads ids the same way.
    expect(await locate({ sort: 'id', target: { kind: 'value', value: '500.000' } })).toMatchObject({ message: 'Ids from “500,000”' });
  });

  it('a locate id out of range, and an id filter the wrong way round, say so in words', async () => {
    for (const procedure of ['users.locate', 'products.locate']) {
      for (const id of [3_000_000_000, 0]) {
        expect(await backend.dispatch(procedure, { target: { kind: 'id', id } })).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', field: 'target.id', message: 'An id is between 1 and 2,147,483,647.' },
        });
      }
    }
    expect(await backend.dispatch('users.list', { filters: { idFrom: 10, idTo: 5 } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'filters.idTo', message: '“ID from” is above “ID to”' },
    });
  });
});
