import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { copyQueryToFile } from '../../src/main/transfer/copy-out';
import type { ImportMode } from '../../src/shared/contract';
import { importUsersCsv } from '../../src/main/transfer/users-import';
import { userExportQuery } from '../../src/main/transfer/users-export';
import { migratedBackend, rawClient } from '../support/database';

let backend: Backend;
let client: pg.Client;
let dir: string;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-import-'));
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await client.query('TRUNCATE users RESTART IDENTITY CASCADE');
  await client.query("INSERT INTO users (email, name) VALUES ('taken@example.com', 'Taken')");
});

async function write(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, content);
  return file;
}

const run = (file: string, mode: ImportMode = 'reject') =>
  importUsersCsv(backend.defaultConnection.target, file, { mode, signal: new AbortController().signal });
const table = async () => (await client.query<{ email: string; name: string }>('SELECT email, name FROM users ORDER BY id')).rows;

describe('import users from CSV', () => {
  it('a good file is imported whole, emails normalised as the form does', async () => {
    const report = await run(await write('good.csv', 'email,name\nAda@Example.com,Ada\n"b@example.com","Bob, ""the"" builder"\n'));
    expect(report).toMatchObject({ inserted: 2, problemCount: 0, rejected: false });
    expect(await table()).toEqual([
      { email: 'taken@example.com', name: 'Taken' },
      { email: 'ada@example.com', name: 'Ada' },
      { email: 'b@example.com', name: 'Bob, "the" builder' },
    ]);
  });

  it('every kind of bad line is reported by line, column and reason, and nothing is written', async () => {
    const file = await write(
      'bad.csv',
      [
        'email,name',
        'not-an-email,Ann',
        'c@example.com,',
        'd@example.com,Dee,extra',
        'e@example.com,Eve',
        'E@example.com,Eve again',
        'taken@example.com,Again',
      ].join('\n'),
    );
    const report = await run(file);
    expect(report.rejected).toBe(true);
    expect(report.problems.map((p) => [p.line, p.column, p.reason])).toEqual([
      [2, 'email', 'Email must look like name@example.com'],
      [3, 'name', 'Name is required'],
      [4, null, 'Too many fields: 3, the header has 2.'],
      [6, 'email', 'Duplicate of line 5 in this file.'],
      [7, 'email', 'Already in the table as user #1.'],
    ]);
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
  });

  it('skip mode writes exactly the good lines; update mode updates exactly the matched users', async () => {
    const file = await write('mixed.csv', 'email,name\nbad,X\nnew@example.com,New\ntaken@example.com,Renamed\n');
    expect(await run(file, 'skip')).toMatchObject({ inserted: 1, skipped: 2, problemCount: 2 });
    expect(await table()).toEqual([
      { email: 'taken@example.com', name: 'Taken' },
      { email: 'new@example.com', name: 'New' },
    ]);
    const update = await write('update.csv', 'email,name\ntaken@example.com,Renamed\nnewer@example.com,Newer\n');
    expect(await run(update, 'update')).toMatchObject({ inserted: 1, updated: 1, problemCount: 0 });
    expect((await table()).find((row) => row.email === 'taken@example.com')?.name).toBe('Renamed');
  });

  it('refuses before anything starts: an empty file, a binary file, a file not in UTF-8, a wrong header, bad quoting', async () => {
    await expect(run(await write('empty.csv', ''))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/empty/) as unknown });
    await expect(run(await write('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      run(await write('latin1.csv', Buffer.concat([Buffer.from('email,name\nz@example.com,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]))),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^Line 2 is not UTF-8/) as unknown,
    });
    await expect(run(await write('header.csv', 'mail,fullname\na@example.com,A\n'))).rejects.toMatchObject({
      message: expect.stringMatching(/email and name.*lacks email and name.*unknown columns mail, fullname/) as unknown,
    });
    await expect(run(await write('quotes.csv', 'email,name\na@example.com,"unclosed\n'))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/malformed/) as unknown,
    });
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
  });

  it('round trip: an export imports into an empty table as the same rows', async () => {
    await client.query(
      `INSERT INTO users (email, name) SELECT 'r' || g || '@example.com', 'Round "trip", Zoë ' || g FROM generate_series(1, 5000) AS g`,
    );
    const file = path.join(dir, 'export.csv');
    await copyQueryToFile(
      backend.defaultConnection.target,
      userExportQuery({ search: '', match: 'contains', filters: { products: 'any' }, sort: 'id', direction: 'asc' }),
      file,
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    const checksum = async () =>
      (
        await client.query<{ sum: string }>(
          "SELECT md5(string_agg(email || '|' || name || '|' || created_at::text, ',' ORDER BY email)) AS sum FROM users",
        )
      ).rows[0]!.sum;
    const before = await checksum();
    await client.query('TRUNCATE users RESTART IDENTITY CASCADE');
    expect(await run(file)).toMatchObject({ inserted: 5001, problemCount: 0 });
    expect(await checksum()).toBe(before);
  });

  it('cancelled mid-way: the table is exactly as it was', async () => {
    const lines = ['email,name', ...Array.from({ length: 200_000 }, (_, i) => `bulk${i}@example.com,Bulk ${i}`)];
    const file = await write('big.csv', lines.join('\n'));
    const controller = new AbortController();
    const importing = importUsersCsv(backend.defaultConnection.target, file, {
      mode: 'reject',
      signal: controller.signal,
      onProgress: ({ rows }) => {
        if (rows > 50_000) controller.abort();
      },
    });
    await expect(importing).rejects.toThrow();
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
  });
});
