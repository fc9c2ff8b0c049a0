import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { forgetEstimate } from '../../src/main/db/table-facts';
import { listProducts, productPageStatement } from '../../src/main/products/list';
import {
  productListInputSchema,
  type AppEvent,
  type Job,
  productSortKeys,
  type LocateOutput,
  type Product,
  type ProductListInput,
  type ProductListOutput,
  type ProductSortKey,
} from '../../src/shared/contract';
import { BIG_PRODUCTS, bigBackend } from '../support/big-database';
import { call } from '../support/database';

// Reads the shared big database (200,000 products, a quarter unowned, users 1–100 owning about a hundred each).
let backend: Backend;
let client: pg.Client;

beforeAll(async () => {
  ({ backend, client } = await bigBackend());
}, 900_000);
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

type Direction = 'asc' | 'desc';
const directions: Direction[] = ['asc', 'desc'];
const ids = (rows: Product[]) => rows.map((row) => row.id);
const list = (input: ProductListInput) => call<ProductListOutput>(backend, 'products.list', input);
const locate = (input: Record<string, unknown>) => call<LocateOutput>(backend, 'products.locate', input);
const parse = (input: ProductListInput) => productListInputSchema.parse(input);

/** The reference order, by hand: unnamed products sort as an empty name, ties by id. */
function order(sort: ProductSortKey, direction: Direction): string {
  return sort === 'id' ? `id ${direction}` : `coalesce(name, '') ${direction}, id ${direction}`;
}

async function referencePage(
  sort: ProductSortKey,
  direction: Direction,
  offset: number,
  limit: number,
  where = '',
  values: unknown[] = [],
): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM products ${where ? `WHERE ${where}` : ''} ORDER BY ${order(sort, direction)} OFFSET ${offset} LIMIT ${limit}`,
    values,
  );
  return rows.map((row) => row.id);
}

async function positionOf(row: Product, sort: ProductSortKey, direction: Direction): Promise<number> {
  const op = direction === 'asc' ? '<' : '>';
  const { rows } = await client.query<{ n: number }>(
    sort === 'id'
      ? `SELECT count(*)::int AS n FROM products WHERE id ${op} $1`
      : `SELECT count(*)::int AS n FROM products WHERE (coalesce(name, ''), id) ${op} ($1::varchar, $2::integer)`,
    sort === 'id' ? [row.id] : [row.name ?? '', row.id],
  );
  return rows[0]!.n;
}

describe('products, sorted and paged both ways', () => {
  for (const sort of productSortKeys) {
    for (const direction of directions) {
      it(`${sort} ${direction}: first, last, and a deep walk on and back without a row missed or repeated`, async () => {
        const first = await list({ sort, direction, withTotal: false });
        expect(ids(first.rows)).toEqual(await referencePage(sort, direction, 0, 25));
        expect(first.previousCursor).toBeNull();
        const last = await list({ sort, direction, from: 'last', pageSize: 50, withTotal: false });
        expect(ids(last.rows)).toEqual(await referencePage(sort, direction, BIG_PRODUCTS - 50, 50));
        expect(last.nextCursor).toBeNull();

        const landing = await locate({ sort, direction, target: { kind: 'fraction', fraction: 0.4 } });
        expect(landing.approximate).toBe(true);
        let page = await list({ sort, direction, pageSize: 100, at: landing.cursor, withTotal: false });
        const start = await positionOf(page.rows[0]!, sort, direction);
        // Within 2% of the rows (a histogram bucket is 1%; see users-large.test.ts).
        expect(Math.abs(start - Math.round(0.4 * (BIG_PRODUCTS - 1)))).toBeLessThanOrEqual(BIG_PRODUCTS * 0.02);
        const forward = [ids(page.rows)];
        for (let i = 0; i < 2; i++) {
          page = await list({ sort, direction, pageSize: 100, after: page.nextCursor, withTotal: false });
          forward.push(ids(page.rows));
        }
        expect(forward.flat()).toEqual(await referencePage(sort, direction, start, 300));
        const backward: number[][] = [];
        for (let i = 0; i < 2; i++) {
          page = await list({ sort, direction, pageSize: 100, before: page.previousCursor, withTotal: false });
          backward.unshift(ids(page.rows));
        }
        expect(backward).toEqual(forward.slice(0, 2));
      });
    }
  }

  it('rows are the product and its owner (id, email and name only), or no owner', async () => {
    const page = await list({ sort: 'id', pageSize: 100, withTotal: false });
    const { rows } = await client.query<{
      id: number;
      name: string | null;
      owner_id: number | null;
      email: string | null;
      owner_name: string | null;
    }>(
      `SELECT p.id, p.name, p.owner_id, u.email, u.name AS owner_name FROM products p LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.id LIMIT 100`,
    );
    expect(page.rows).toEqual(
      rows.map((row) => ({
        id: row.id,
        name: row.name,
        owner: row.owner_id === null ? null : { id: row.owner_id, email: row.email, name: row.owner_name },
      })),
    );
    expect(page.rows.some((row) => row.owner === null)).toBe(true);
  });

  it('unnamed products sort first by name, as an empty name, and page like any other', async () => {
    const first = await list({ sort: 'name', pageSize: 100, withTotal: false });
    expect(first.rows[0]!.name).toBeNull();
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE name IS NULL');
    const located = await locate({ sort: 'name', target: { kind: 'value', value: 'A' } });
    expect(located.row).toBe(rows[0]!.n + 1);
    const named = await list({ sort: 'name', at: located.cursor, withTotal: false });
    expect(named.rows[0]!.name).not.toBeNull();
    const back = await list({ sort: 'name', pageSize: 100, before: named.previousCursor, withTotal: false });
    expect(back.rows.every((row) => row.name === null)).toBe(true);
  });
});

describe('searching and filtering products', () => {
  const cases: Array<{ name: string; input: Partial<ProductListInput>; where: string; values: unknown[] }> = [
    { name: 'contains, any case', input: { search: 'LAMP' }, where: 'name ILIKE $1', values: ['%lamp%'] },
    { name: 'contains two words', input: { search: 'golden cup' }, where: 'name ILIKE $1', values: ['%golden cup%'] },
    { name: 'unowned', input: { owner: { kind: 'none' } }, where: 'owner_id IS NULL', values: [] },
    {
      name: 'unowned and searched',
      input: { search: 'velvet', owner: { kind: 'none' } },
      where: 'owner_id IS NULL AND name ILIKE $1',
      values: ['%velvet%'],
    },
    { name: 'one user’s (a power user)', input: { owner: { kind: 'user', userId: 42 } }, where: 'owner_id = $1', values: [42] },
    { name: 'an id', input: { search: '#4242', match: 'id' }, where: 'id = $1', values: [4242] },
  ];
  for (const { name, input, where, values } of cases) {
    it(`${name}: the right rows in the right order, both ways, page after page`, async () => {
      for (const sort of productSortKeys) {
        for (const direction of directions) {
          const first = await list({ ...input, sort, direction, withTotal: false });
          expect(ids(first.rows)).toEqual(await referencePage(sort, direction, 0, 25, where, values));
          if (first.nextCursor) {
            const second = await list({ ...input, sort, direction, after: first.nextCursor, withTotal: false });
            expect(ids(second.rows)).toEqual(await referencePage(sort, direction, 25, 25, where, values));
            const back = await list({ ...input, sort, direction, before: second.previousCursor, withTotal: false });
            expect(ids(back.rows)).toEqual(ids(first.rows));
            expect(back.previousCursor).toBeNull();
          }
        }
      }
    });
  }

  it('a user’s products: all of them, counted exactly, walked back from the last page', async () => {
    const { rows } = await client.query<{ id: number }>(`SELECT id FROM products WHERE owner_id = 42 ORDER BY coalesce(name, '') DESC, id DESC`);
    expect(rows.length).toBeGreaterThan(25);
    const service = (input: ProductListInput) => listProducts(backend.defaultConnection.db, parse(input), { countBudgetMs: 60_000 });
    const last = await service({ owner: { kind: 'user', userId: 42 }, sort: 'name', direction: 'desc', from: 'last' });
    expect(last.total).toEqual({ count: rows.length, estimated: false });
    const pages = [ids(last.rows)];
    let page = last;
    while (page.previousCursor) {
      page = await service({ owner: { kind: 'user', userId: 42 }, sort: 'name', direction: 'desc', before: page.previousCursor, withTotal: false });
      pages.unshift(ids(page.rows));
    }
    expect([...new Set(pages.flat())]).toEqual(rows.map((row) => row.id));
  });

  it('counts: a result on one page is exact; a large one an estimate, labelled, never below the page; the whole table exact', async () => {
    const few = await list({ search: 'golden cup 12' });
    expect(few.nextCursor).toBeNull();
    expect(few.total).toEqual({ count: few.rows.length, estimated: false });
    const hurried = await listProducts(backend.defaultConnection.db, parse({ search: 'a' }), { countBudgetMs: 1 });
    expect(hurried.total?.estimated).toBe(true);
    expect(hurried.total!.count).toBeGreaterThan(hurried.rows.length);
    // The whole table counts within the time box (not "about 202,654" for 200,000 rows); a long
    // one here, read afresh, so a busy machine cannot make it run out.
    forgetEstimate(backend.defaultConnection.db, 'products');
    const all = await listProducts(backend.defaultConnection.db, parse({}), { countBudgetMs: 60_000 });
    expect(all.total).toEqual({ count: BIG_PRODUCTS, estimated: false });
  });

  it('an id search that is not a number is VALIDATION on search; a product that does not match is NOT_FOUND when located', async () => {
    expect(await backend.dispatch('products.list', { search: 'lamp', match: 'id' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'search' },
    });
    const { rows } = await client.query<{ id: number }>('SELECT id FROM products WHERE owner_id IS NOT NULL ORDER BY id LIMIT 1');
    expect(await backend.dispatch('products.locate', { owner: { kind: 'none' }, target: { kind: 'id', id: rows[0]!.id } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'target.id' },
    });
  });

  it('goes to a product by id and to a name, in either direction', async () => {
    for (const direction of directions) {
      const byId = await locate({ sort: 'name', direction, target: { kind: 'id', id: 123_456 } });
      expect(byId.message).toBe('Product #123456 is on this page');
      expect((await list({ sort: 'name', direction, at: byId.cursor, withTotal: false })).rows[0]!.id).toBe(123_456);
      const byName = await locate({ sort: 'name', direction, target: { kind: 'value', value: 'Silver' } });
      const page = await list({ sort: 'name', direction, at: byName.cursor, withTotal: false });
      const where = direction === 'asc' ? `coalesce(name, '') >= $1` : `coalesce(name, '') <= $1`;
      expect(ids(page.rows)).toEqual(await referencePage('name', direction, 0, 25, where, [direction === 'asc' ? 'Silver' : 'Silver\uffff']));
      expect(page.rows[0]!.name).toMatch(/^Silver/);
    }
  });

  it('a searchable name has no search note', async () => {
    expect((await list({ search: 'lamp', withTotal: false })).searchNote).toBeNull();
  });
});

/** Every plan node, flattened. */
function nodes(plan: Record<string, unknown>): Array<Record<string, unknown>> {
  return [plan, ...((plan.Plans as Array<Record<string, unknown>> | undefined) ?? []).flatMap(nodes)];
}

describe('every products list query shape is an index walk', () => {
  it('no Seq Scan on products or users, in any sort, direction, search, owner filter or page position', async () => {
    const selections: Array<Partial<ProductListInput>> = [
      {},
      { search: 'lamp' },
      { search: 'golden cup' },
      { search: '4242', match: 'id' },
      { owner: { kind: 'none' } },
      { owner: { kind: 'none' }, search: 'velvet' },
      { owner: { kind: 'user', userId: 42 } },
      { owner: { kind: 'user', userId: 123_457 } },
    ];
    const offenders: string[] = [];
    for (const sort of productSortKeys) {
      for (const direction of directions) {
        for (const selection of selections) {
          const base = { ...selection, sort, direction, withTotal: false };
          const first = await list(base);
          const inputs: ProductListInput[] = [base, { ...base, from: 'last' }];
          if (first.nextCursor) inputs.push({ ...base, after: first.nextCursor }, { ...base, before: first.nextCursor });
          if (first.rows[3])
            inputs.push({ ...base, at: (await locate({ ...selection, sort, direction, target: { kind: 'id', id: first.rows[3].id } })).cursor });
          for (const input of inputs) {
            const statement = productPageStatement(parse(input));
            const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, unknown> }> }>(
              `EXPLAIN (FORMAT JSON) ${statement.text}`,
              statement.values,
            );
            const scans = nodes(rows[0]!['QUERY PLAN'][0]!.Plan).filter(
              (node) => node['Node Type'] === 'Seq Scan' && ['products', 'users'].includes(String(node['Relation Name'])),
            );
            if (scans.length) offenders.push(JSON.stringify(input));
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('products.count, "Count exactly" as a job', () => {
  function finished(jobId: string): Promise<Job> {
    return new Promise((resolve) => {
      const stop = backend.services.bus.subscribe((event: AppEvent) => {
        if (event.type === 'job.finished' && event.job.id === jobId) {
          stop();
          resolve(event.job);
        }
      });
    });
  }
  const exact = async (where: string, values: unknown[] = []) =>
    (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM products ${where}`, values)).rows[0]!.n;

  it('counts what the list shows (everything, a search, unowned, one owner) as of one moment, with its summary', async () => {
    const cases: Array<{ input: Record<string, unknown>; where: string; values?: unknown[]; summary: RegExp }> = [
      { input: {}, where: '', summary: /^[\d,]+ products in all\.$/ },
      { input: { search: 'lamp' }, where: 'WHERE name ILIKE $1', values: ['%lamp%'], summary: /^[\d,]+ products? match(es)? “lamp”\.$/ },
      { input: { owner: { kind: 'none' } }, where: 'WHERE owner_id IS NULL', summary: /^[\d,]+ products without an owner\.$/ },
      { input: { owner: { kind: 'user', userId: 7 } }, where: 'WHERE owner_id = 7', summary: /^[\d,]+ products? owned by user #7\.$/ },
      { input: { search: '#1,234', match: 'id' }, where: 'WHERE id = 1234', summary: /^1 product with id 1234\.$/ },
    ];
    for (const { input, where, values, summary } of cases) {
      const { jobId } = await call<{ jobId: string }>(backend, 'products.count', input);
      const job = await finished(jobId);
      const count = await exact(where, values);
      expect(job).toMatchObject({ state: 'succeeded', kind: 'products.count', result: { count, search: input.search ?? '' } });
      expect(job.summary).toMatch(summary);
      expect(job.summary).toContain(count.toLocaleString('en-US'));
    }
  });

  it('an id search that is not a number is refused before any job starts, naming the field', async () => {
    const answer = await backend.dispatch('products.count', { search: 'abc', match: 'id' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'search' } });
    expect(backend.services.jobs.list().filter((job) => job.kind === 'products.count' && job.state === 'running')).toEqual([]);
  });
});
