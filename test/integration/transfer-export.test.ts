import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { copyQueryToFile } from '../../src/main/transfer/copy-out';
import { productExportQuery } from '../../src/main/transfer/products-export';
import { userExportQuery } from '../../src/main/transfer/users-export';
import { migratedBackend, rawClient, sessionsOf } from '../support/database';

let backend: Backend;
let client: pg.Client;
let dir: string;
const NOISY = ['Ann, "the" admin', 'Line\nbreak', 'Zoë Ünïcode 日本', ' spaces '];

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-export-'));
  await client.query(
    `INSERT INTO users (email, name, created_at) SELECT 'u' || g || '@example.com', 'User ' || g, timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, 200000) AS g`,
  );
  for (const [i, name] of NOISY.entries()) await client.query('INSERT INTO users (email, name) VALUES ($1, $2)', [`noisy${i}@example.com`, name]);
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const baseInput = { search: '', match: 'contains' as const, filters: { products: 'any' as const }, sort: 'id' as const, direction: 'asc' as const };

describe('export to CSV', () => {
  it('writes every row the search matches, in the list order, with a header, RFC 4180 quoting and UTF-8, counting rows as it goes', async () => {
    const file = path.join(dir, 'noisy.csv');
    const seen: number[] = [];
    const result = await copyQueryToFile(
      backend.defaultConnection.target,
      userExportQuery({ ...baseInput, search: 'noisy', sort: 'email', direction: 'desc' }),
      file,
      {
        signal: new AbortController().signal,
        onProgress: (progress) => seen.push(progress.rows),
      },
    );
    expect(result.rows).toBe(NOISY.length);
    const records = parse<Record<string, string>>(await fs.readFile(file), { columns: true });
    expect(Object.keys(records[0]!)).toEqual(['id', 'email', 'name', 'created_at']);
    expect(records.map((r) => r.email)).toEqual(NOISY.map((_, i) => `noisy${i}@example.com`).reverse());
    expect(records.map((r) => r.name)).toEqual([...NOISY].reverse());
    expect(records[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/);
    expect(seen.at(-1)).toBe(NOISY.length);
    await expect(fs.access(`${file}.partial`)).rejects.toThrow();
  });

  it('a search is a value, never SQL: quotes and wildcards in it match literally', async () => {
    const file = path.join(dir, 'quoted.csv');
    const result = await copyQueryToFile(
      backend.defaultConnection.target,
      userExportQuery({ ...baseInput, search: `"the" admin'); DROP TABLE users; --` }),
      file,
      {
        signal: new AbortController().signal,
        onProgress: () => undefined,
      },
    );
    expect(result.rows).toBe(0);
    expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n).toBe(200_000 + NOISY.length);
  });

  it('cancelled mid-way: no file, no partial file, and no COPY left running on the server', async () => {
    const file = path.join(dir, 'cancelled.csv');
    const controller = new AbortController();
    const run = copyQueryToFile(backend.defaultConnection.target, userExportQuery(baseInput), file, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.rows > 1000) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    await expect(fs.access(file)).rejects.toThrow();
    await expect(fs.access(`${file}.partial`)).rejects.toThrow();
    await expect.poll(() => sessionsOf(client, 'simple-db (export)'), { timeout: 15_000 }).toEqual([]);
  });

  it('products carry their owner as id and email; an owner filter and a name order are the list’s', async () => {
    const { rows } = await client.query<{ id: number }>("SELECT id FROM users WHERE email = 'noisy0@example.com'");
    const owner = rows[0]!.id;
    await client.query("INSERT INTO products (name, owner_id) VALUES ('Lamp, \"desk\"', $1), ('Anchor', $1), ('Orphan', NULL)", [owner]);
    const file = path.join(dir, 'products.csv');
    const result = await copyQueryToFile(
      backend.defaultConnection.target,
      productExportQuery({ search: '', match: 'contains', owner: { kind: 'user', userId: owner }, sort: 'name', direction: 'asc' }),
      file,
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    expect(result.rows).toBe(2);
    const records = parse<Record<string, string>>(await fs.readFile(file), { columns: true });
    expect(records.map((r) => [r.name, r.owner_id, r.owner_email])).toEqual([
      ['Anchor', String(owner), 'noisy0@example.com'],
      ['Lamp, "desk"', String(owner), 'noisy0@example.com'],
    ]);
  });
});
