import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { copyQueryToFile } from '../../src/main/transfer/copy-out';
import type { ImportMode } from '../../src/shared/contract';
import { importUsersCsv } from '../../src/main/transfer/users-import';
import { importProductsCsv } from '../../src/main/transfer/products-import';
import { productExportQuery } from '../../src/main/transfer/products-export';
import { parseDatabaseUrl } from '../../src/main/db/target';
import { translateError } from '../../src/main/errors/translate';
import { userExportQuery } from '../../src/main/transfer/users-export';
import { migratedBackend, rawClient, sessionsOf } from '../support/database';
import { remotePostgresAvailable, startRemotePostgres, type RemotePostgres } from '../support/remote-postgres';

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

  it('every kind of bad line is reported by line, column, value and reason, and nothing is written', async () => {
    const file = await write(
      'bad.csv',
      Buffer.concat([
        Buffer.from(
          [
            'email,name,created_at',
            'not-an-email,Ann,',
            'c@example.com,,',
            'd@example.com,Dee,,extra',
            'e@example.com,Eve,',
            'E@example.com,Eve again,',
            'taken@example.com,Again,',
            'f@example.com,Fay,2024-02-30',
            'g@example.com',
            '',
          ].join('\n'),
        ),
        Buffer.from('h@example.com,Zo'),
        Buffer.from([0xeb]),
        Buffer.from(',\ni@example.com,Good,2024-05-31T14:03:00\n'),
      ]),
    );
    const report = await run(file);
    expect(report).toMatchObject({ rejected: true, rows: 10, problemCount: 8, badLines: 8, unreadFrom: null, inserted: 0 });
    expect(report.problems.map((p) => [p.line, p.column, p.value, p.reason])).toEqual([
      [2, 'email', 'not-an-email', 'Email must look like name@example.com'],
      [3, 'name', '', 'Name is required'],
      [4, null, 'd@example.com,Dee,,extra', 'Too many fields: 4, the header has 3.'],
      [6, 'email', 'e@example.com', 'Duplicate of line 5 in this file.'],
      [7, 'email', 'taken@example.com', 'Already in the table as user #1.'],
      [8, 'created_at', '2024-02-30', 'created_at must be a date and time like 2024-05-31T14:03:00 (UTC, or with a zone like +02:00), or empty.'],
      [9, null, 'g@example.com', 'Too few fields: 1, the header has 3.'],
      [10, 'name', null, 'Not UTF-8 text. Save the file as UTF-8 (CSV UTF-8) and import it again.'],
    ]);
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
  });

  it('bad quoting stops the reading at its line, says how to fix it, and nothing is written, whatever the mode', async () => {
    const cases: Array<[string, number, RegExp]> = [
      [
        'email,name\nfine@example.com,Fine\na@example.com,"Ann "the" admin"\nlater@example.com,Later\n',
        3,
        /^A quote in the middle of a field.*"O""Brien"/,
      ],
      ['email,name\nfine@example.com,Fine\nob@example.com,O"Brien\nlater@example.com,Later\n', 3, /^A quote in the middle of a field/],
      [
        'email,name\nfine@example.com,Fine\n\nopen@example.com,"never closed\nlater@example.com,Later\n',
        4,
        /^A quoted field opens on this line and is never closed/,
      ],
    ];
    // A quote left open early in a big file: stopped at a record far larger than any real one, not read into memory.
    cases.push([`email,name\nopen@example.com,"never closed\n${'x@example.com,Filler\n'.repeat(100_000)}`, 2, /never closed/]);
    for (const [content, line, reason] of cases) {
      const report = await run(await write('quotes.csv', content), 'skip');
      expect(report).toMatchObject({ rejected: true, inserted: 0, unreadFrom: line, badLines: 1 });
      expect(report.problems).toEqual([expect.objectContaining({ line, column: null, reason: expect.stringMatching(reason) as unknown })]);
    }
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
  });

  it('created_at is kept as written, or turned into UTC when it carries a zone', async () => {
    const file = await write(
      'times.csv',
      'email,name,created_at\nz@example.com,Z,2024-05-31T14:03:00Z\np@example.com,P,2024-05-31 16:03:00.123456+02:00\nn@example.com,N,2024-05-31\n',
    );
    expect(await run(file)).toMatchObject({ inserted: 3, problemCount: 0 });
    const times = await client.query<{ email: string; at: string }>(
      "SELECT email, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') AS at FROM users WHERE email <> 'taken@example.com' ORDER BY id",
    );
    expect(times.rows).toEqual([
      { email: 'z@example.com', at: '2024-05-31 14:03:00.000000' },
      { email: 'p@example.com', at: '2024-05-31 14:03:00.123456' },
      { email: 'n@example.com', at: '2024-05-31 00:00:00.000000' },
    ]);
  });

  it('a report lists the first 1,000 bad lines and counts them all', async () => {
    const lines = [
      'email,name',
      ...Array.from({ length: 1500 }, (_, i) => `bad${i},Name`),
      ...Array.from({ length: 300 }, () => 'taken@example.com,T'),
    ];
    const report = await run(await write('many.csv', lines.join('\n')));
    expect(report).toMatchObject({ problemCount: 1800, badLines: 1800 });
    expect(report.problems).toHaveLength(1000);
    expect(report.problems[0]).toMatchObject({ line: 2, value: 'bad0' });
    expect(await table()).toHaveLength(1);
  });

  it('skip mode writes exactly the good lines; update mode updates exactly the matched users', async () => {
    const file = await write('mixed.csv', 'email,name\nbad,X\nnew@example.com,New\ntaken@example.com,Renamed\n');
    expect(await run(file, 'skip')).toMatchObject({ inserted: 1, skipped: 2, problemCount: 2 });
    expect(await table()).toEqual([
      { email: 'taken@example.com', name: 'Taken' },
      { email: 'new@example.com', name: 'New' },
    ]);
    const createdBefore = (await client.query<{ at: string }>("SELECT created_at::text AS at FROM users WHERE email = 'taken@example.com'")).rows[0]!
      .at;
    const update = await write('update.csv', 'email,name\ntaken@example.com,Renamed\nnewer@example.com,Newer\n');
    expect(await run(update, 'update')).toMatchObject({ inserted: 1, updated: 1, problemCount: 0 });
    expect(await table()).toEqual([
      { email: 'taken@example.com', name: 'Renamed' },
      { email: 'new@example.com', name: 'New' },
      { email: 'newer@example.com', name: 'Newer' },
    ]);
    // Without a created_at column, the matched user keeps theirs.
    const createdAfter = (await client.query<{ at: string }>("SELECT created_at::text AS at FROM users WHERE email = 'taken@example.com'")).rows[0]!
      .at;
    expect(createdAfter).toBe(createdBefore);
    // Update mode is all or nothing for every other fault.
    const updateWithBadLine = await write('update-bad.csv', 'email,name\ntaken@example.com,Again\nnot-an-email,X\n');
    expect(await run(updateWithBadLine, 'update')).toMatchObject({ rejected: true, updated: 0, badLines: 1 });
    expect((await table()).find((row) => row.email === 'taken@example.com')?.name).toBe('Renamed');
  });

  it('refuses before anything starts: an empty file, a binary file, a wrong header (naming the expected columns), no header', async () => {
    await expect(run(await write('empty.csv', ''))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/empty/) as unknown });
    await expect(run(await write('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(run(await write('header.csv', 'mail,fullname\na@example.com,A\n'))).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Line 1, the header, must name the columns email,name.*lacks email and name.*unknown columns “mail”, “fullname”/,
      ) as unknown,
    });
    await expect(run(await write('blank.csv', '\n\n'))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/no header/) as unknown,
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
    // Analysed at once, so the list's estimates count the new rows.
    const stats = await client.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE oid = 'users'::regclass");
    expect(stats.rows[0]!.reltuples).toBe(5001);
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
    await expect(importing).rejects.toMatchObject({ name: 'AbortError' });
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
    // The session ends as the import fails; the server may take a moment to drop it from its list.
    await expect.poll(() => sessionsOf(client, 'simple-db (import)'), { timeout: 15_000 }).toEqual([]);
  });
});

describe('cancel while the database checks and writes', () => {
  it('an import waiting for its table lock is cancelled on the server: the table as it was, no session left', async () => {
    const file = await write('locked.csv', ['email,name', ...Array.from({ length: 3000 }, (_, i) => `locked${i}@example.com,L ${i}`)].join('\n'));
    const holder = await rawClient((await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const controller = new AbortController();
      let read = 0;
      const importing = importUsersCsv(backend.defaultConnection.target, file, {
        mode: 'reject',
        signal: controller.signal,
        onProgress: ({ rows }) => (read = rows),
      });
      // The whole file read, the import now waits for the lock the holder keeps.
      await expect.poll(async () => (await sessionsOf(client, 'simple-db (import)', { waitingForLock: true })).length, { timeout: 30_000 }).toBe(1);
      expect(read).toBe(3000);
      controller.abort();
      await expect(importing).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await table()).toEqual([{ email: 'taken@example.com', name: 'Taken' }]);
    await expect.poll(() => sessionsOf(client, 'simple-db (import)'), { timeout: 15_000 }).toEqual([]);
  });
});

describe('import products from CSV', () => {
  const products = async () =>
    (
      await client.query<{ name: string; owner: string | null }>(
        'SELECT p.name, u.email AS owner FROM products p LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.id',
      )
    ).rows;
  const runProducts = (file: string, mode: 'reject' | 'skip' = 'reject') =>
    importProductsCsv(backend.defaultConnection.target, file, { mode, signal: new AbortController().signal });

  it('owners are matched by email (which wins over an id from another database) or by id; empty means no owner', async () => {
    const file = await write('products.csv', 'id,name,owner_id,owner_email\n7,Lamp,999,TAKEN@example.com\n8,Desk,1,\n9,"Chair, ""oak""",,\n');
    expect(await runProducts(file)).toMatchObject({ inserted: 3, problemCount: 0, rejected: false });
    expect(await products()).toEqual([
      { name: 'Lamp', owner: 'taken@example.com' },
      { name: 'Desk', owner: 'taken@example.com' },
      { name: 'Chair, "oak"', owner: null },
    ]);
  });

  it('an unknown owner, a bad owner id or email and an empty name are reported; skip mode writes exactly the good lines', async () => {
    const file = await write(
      'bad-products.csv',
      [
        'name,owner_email,owner_id',
        'Ghost,nobody@example.com,',
        'Orphan,,424242',
        'Broken,not-an-email,',
        'Minus,,-3',
        ',taken@example.com,',
        'Good,taken@example.com,',
      ].join('\n'),
    );
    const report = await runProducts(file);
    expect(report.problems.map((p) => [p.line, p.column, p.reason])).toEqual([
      [2, 'owner_email', 'No user has this email.'],
      [3, 'owner_id', 'No user has this id.'],
      [4, 'owner_email', 'Email must look like name@example.com'],
      [5, 'owner_id', 'owner_id must be a whole number, the owner’s user id'],
      [6, 'name', 'Name is required'],
    ]);
    expect(report.rejected).toBe(true);
    expect(await products()).toEqual([]);
    expect(await runProducts(file, 'skip')).toMatchObject({ inserted: 1, skipped: 5, problemCount: 5 });
    expect(await products()).toEqual([{ name: 'Good', owner: 'taken@example.com' }]);
  });

  it('an owner stored in mixed case by another tool is found by email; two such users are not guessed between', async () => {
    await client.query(
      "INSERT INTO users (email, name) VALUES ('Mixed@Example.com', 'Mixed'), ('Twin@Example.com', 'Twin 1'), ('TWIN@example.com', 'Twin 2')",
    );
    const report = await runProducts(await write('mixed-owners.csv', 'name,owner_email\nLamp,mixed@example.com\nDesk,twin@example.com\n'), 'skip');
    expect(report).toMatchObject({ inserted: 1, skipped: 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ line: 3, column: 'owner_email', reason: expect.stringMatching(/More than one user.*owner_id/) as unknown }),
    ]);
    expect(await products()).toEqual([{ name: 'Lamp', owner: 'Mixed@Example.com' }]);
  });

  it('a header without name names the expected columns', async () => {
    await expect(runProducts(await write('no-name.csv', 'title,owner_email\nLamp,\n'))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/must name the columns name, then owner_email or owner_id.*lacks name.*unknown columns “title”/) as unknown,
    });
  });

  it('round trip with owners: users then products exported, imported into empty tables, give the same rows', async () => {
    await client.query(`INSERT INTO users (email, name) SELECT 'o' || g || '@example.com', 'Owner ' || g FROM generate_series(1, 300) AS g`);
    await client.query(
      `INSERT INTO products (name, owner_id) SELECT 'Product ' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE (SELECT id FROM users ORDER BY id OFFSET g % 300 LIMIT 1) END FROM generate_series(1, 2000) AS g`,
    );
    const signal = new AbortController().signal;
    const usersFile = path.join(dir, 'rt-users.csv');
    const productsFile = path.join(dir, 'rt-products.csv');
    const target = backend.defaultConnection.target;
    const all = { search: '', match: 'contains' as const, sort: 'id' as const, direction: 'asc' as const };
    await copyQueryToFile(target, userExportQuery({ ...all, filters: { products: 'any' } }), usersFile, { signal, onProgress: () => undefined });
    await copyQueryToFile(target, productExportQuery({ ...all, owner: { kind: 'any' } }), productsFile, { signal, onProgress: () => undefined });
    const checksum = async () =>
      (
        await client.query<{ sum: string }>(
          "SELECT md5(string_agg(p.name || '|' || coalesce(u.email, '-') || '|' || coalesce(u.name, '-'), ',' ORDER BY p.id)) AS sum FROM products p LEFT JOIN users u ON u.id = p.owner_id",
        )
      ).rows[0]!.sum;
    const before = await checksum();
    await client.query('TRUNCATE users, products RESTART IDENTITY CASCADE');
    await client.query('ALTER SEQUENCE users_id_seq RESTART WITH 5000'); // other ids than the export's: owners must follow their email
    expect(await run(usersFile)).toMatchObject({ inserted: 301, problemCount: 0 });
    expect(await runProducts(productsFile)).toMatchObject({ inserted: 2000, problemCount: 0 });
    expect(await checksum()).toBe(before);
  });
});

describe.runIf(remotePostgresAvailable)('import while the server stops', () => {
  let server: RemotePostgres;
  beforeAll(async () => {
    server = await startRemotePostgres();
    await server.query(
      'CREATE TABLE users (id serial PRIMARY KEY, email varchar NOT NULL, name varchar NOT NULL, created_at timestamp NOT NULL DEFAULT now())',
    );
    await server.query('CREATE UNIQUE INDEX ix_users_email ON users (email)');
    await server.query("INSERT INTO users (email, name) VALUES ('kept@example.com', 'Kept')");
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('a server stopped mid-import leaves the table as it was', async () => {
    const file = await write('stopped.csv', ['email,name', ...Array.from({ length: 300_000 }, (_, i) => `s${i}@example.com,S ${i}`)].join('\n'));
    const target = parseDatabaseUrl(`postgresql://postgres:${encodeURIComponent(server.superuserPassword)}@127.0.0.1:${server.port}/postgres`);
    const stopping: { done?: Promise<void> } = {};
    const importing = importUsersCsv(target, file, {
      mode: 'reject',
      signal: new AbortController().signal,
      onProgress: ({ rows }) => {
        if (rows > 50_000) stopping.done ??= server.stop();
      },
    });
    const failure: unknown = await importing.then(
      () => null,
      (error: unknown) => error,
    );
    // What the admin reads: the connection went away, not an internal error.
    expect(translateError(failure)).toMatchObject({ code: 'CONNECTION' });
    await stopping.done;
    await server.start();
    expect((await server.query('SELECT email FROM users')).rows).toEqual([{ email: 'kept@example.com' }]);
  });
});
