import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { App as Backend } from '../../src/main/bootstrap';
import type { User, UserDetail, UserListOutput } from '../../src/shared/contract';
import { invalidate } from '../../src/main/db/table-facts';
import { call, migratedBackend, rawClient } from '../support/database';

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

async function userCount(): Promise<number> {
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

async function expectError(procedure: string, input: unknown, error: Record<string, unknown>) {
  const before = await userCount();
  const result = await backend.dispatch(procedure, input);
  expect(result).toMatchObject({ ok: false, error });
  // A refused request writes nothing.
  expect(await userCount()).toBe(before);
}

describe('create and read (the seed examples)', () => {
  it('creates a user with a normalised email and its creation time in UTC', async () => {
    const user = await call<User>(backend, 'users.create', { email: '  Alice@Example.COM ', name: ' Alice ' });
    expect(user).toMatchObject({ email: 'alice@example.com', name: 'Alice' });
    expect(user.id).toBeGreaterThan(0);
    expect(user.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    // Stored as UTC wall time, like the seed's datetime.utcnow.
    expect(Math.abs(Date.parse(`${user.createdAt.slice(0, 23)}Z`) - Date.now())).toBeLessThan(60_000);
    const { rows } = await client.query('SELECT email, name FROM users WHERE id = $1', [user.id]);
    expect(rows).toEqual([{ email: 'alice@example.com', name: 'Alice' }]);
  });

  it('reads by id and by email (any case)', async () => {
    const created = await call<User>(backend, 'users.create', { email: 'bob@example.com', name: 'Bob' });
    const byId = await call<UserDetail>(backend, 'users.get', { id: created.id });
    const byEmail = await call<UserDetail>(backend, 'users.get', { email: ' BOB@example.com' });
    expect(byId).toEqual({ ...created, productCount: 0 });
    expect(byEmail).toEqual(byId);
  });

  it('finds a mixed-case email written by another tool', async () => {
    await client.query(`INSERT INTO users (email, name) VALUES ('Carol@Example.com', 'Carol')`);
    const found = await call<UserDetail>(backend, 'users.get', { email: 'carol@example.com' });
    expect(found.name).toBe('Carol');
  });
});

describe('refused input names the field and writes nothing', () => {
  it.each([
    [{ email: 'not-an-email', name: 'X' }, 'email', 'Email must look like name@example.com'],
    [{ email: '   ', name: 'X' }, 'email', 'Email is required'],
    [{ email: `${'a'.repeat(250)}@x.com`, name: 'X' }, 'email', 'Email must be at most 254 characters'],
    [{ email: 'ok@example.com', name: '   ' }, 'name', 'Name is required'],
    [{ email: 'ok@example.com', name: 'n'.repeat(201) }, 'name', 'Name must be at most 200 characters'],
    [{ email: 'ok@example.com' }, 'name', 'Name is required.'],
    [{ email: 'ok@example.com', name: 5 }, 'name', 'Name must be text'],
    [{ email: 'ok@example.com', name: 'a\u0000b' }, 'name', 'Name must not contain control characters (tabs, line breaks, NUL)'],
    [{ email: 'ok@exam\nple.com', name: 'X' }, 'email', 'Email must not contain control characters (tabs, line breaks, NUL)'],
    [{ email: 'ok@example.com', name: 'X', admin: true }, 'admin', 'Unknown field "admin".'],
  ])('users.create %j → VALIDATION on %s', async (input, field, message) => {
    await expectError('users.create', input, { code: 'VALIDATION', field, message });
  });

  it('a duplicate email is a CONFLICT naming the existing user, whatever case it is typed in', async () => {
    const existing = await call<User>(backend, 'users.create', { email: 'dave@example.com', name: 'Dave' });
    await expectError(
      'users.create',
      { email: 'DAVE@example.com ', name: 'Other' },
      {
        code: 'CONFLICT',
        field: 'email',
        existingId: existing.id,
        message: `The email dave@example.com is already used by user #${existing.id} (Dave).`,
      },
    );
  });

  it('unknown ids are NOT_FOUND for get, update and delete', async () => {
    await expectError(
      'users.get',
      { id: 999999 },
      { code: 'NOT_FOUND', message: 'User #999999 does not exist (it may have been deleted). Refresh the list.' },
    );
    await expectError('users.update', { id: 999999, name: 'X' }, { code: 'NOT_FOUND' });
    await expectError('users.delete', { id: 999999 }, { code: 'NOT_FOUND' });
    await expectError('users.get', { email: 'nobody@example.com' }, { code: 'NOT_FOUND', field: 'email' });
  });

  it('bad ids are VALIDATION on the id field', async () => {
    await expectError('users.get', { id: -1 }, { code: 'VALIDATION', field: 'id' });
    await expectError('users.delete', { id: 'abc' }, { code: 'VALIDATION', field: 'id' });
    await expectError('users.get', {}, { code: 'VALIDATION', message: 'Give either an id or an email.' });
  });

  it('an unknown procedure is NOT_FOUND', async () => {
    expect(await backend.dispatch('users.drop', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('update', () => {
  it('changes name and email, normalising the email', async () => {
    const user = await call<User>(backend, 'users.create', { email: 'frank@example.com', name: 'Frank' });
    const updated = await call<User>(backend, 'users.update', { id: user.id, name: 'Franklin', email: ' FRANKLIN@example.com' });
    expect(updated).toEqual({ ...user, name: 'Franklin', email: 'franklin@example.com' });
    const { rows } = await client.query('SELECT email, name FROM users WHERE id = $1', [user.id]);
    expect(rows).toEqual([{ email: 'franklin@example.com', name: 'Franklin' }]);
  });

  it("refuses another user's email and keeps the row as it was", async () => {
    const a = await call<User>(backend, 'users.create', { email: 'gina@example.com', name: 'Gina' });
    const b = await call<User>(backend, 'users.create', { email: 'hank@example.com', name: 'Hank' });
    await expectError('users.update', { id: b.id, email: 'gina@example.com', name: 'Changed' }, { code: 'CONFLICT', existingId: a.id });
    expect((await call<UserDetail>(backend, 'users.get', { id: b.id })).name).toBe('Hank');
  });

  it('keeping the own email (in another case) is not a conflict', async () => {
    const user = await call<User>(backend, 'users.create', { email: 'ivy@example.com', name: 'Ivy' });
    const updated = await call<User>(backend, 'users.update', { id: user.id, email: 'IVY@example.com', name: 'Ivy B' });
    expect(updated).toMatchObject({ email: 'ivy@example.com', name: 'Ivy B' });
  });

  it('an update with nothing to change is refused', async () => {
    const user = await call<User>(backend, 'users.create', { email: 'jack@example.com', name: 'Jack' });
    await expectError('users.update', { id: user.id }, { code: 'VALIDATION', message: 'Nothing to change: give a new email or name.' });
  });
});

describe('delete and the products relation', () => {
  it('says how many products lose their owner, then un-parents them', async () => {
    const owner = await call<User>(backend, 'users.create', { email: 'kim@example.com', name: 'Kim' });
    const other = await call<User>(backend, 'users.create', { email: 'lee@example.com', name: 'Lee' });
    await client.query(`INSERT INTO products (name, owner_id) VALUES ('a', $1), ('b', $1), ('c', $1), ('d', $2)`, [owner.id, other.id]);

    expect((await call<UserDetail>(backend, 'users.get', { id: owner.id })).productCount).toBe(3);
    expect(await call(backend, 'users.delete', { id: owner.id })).toEqual({ id: owner.id, productsUnowned: 3 });

    const { rows } = await client.query('SELECT name, owner_id FROM products ORDER BY name');
    expect(rows).toEqual([
      { name: 'a', owner_id: null },
      { name: 'b', owner_id: null },
      { name: 'c', owner_id: null },
      { name: 'd', owner_id: other.id },
    ]);
    await expectError('users.get', { id: owner.id }, { code: 'NOT_FOUND' });
  });

  it('the models expose both directions: user.products and product.owner', async () => {
    const { User, Product } = backend.defaultConnection.db.models;
    const owner = await User.create({ email: 'mia@example.com', name: 'Mia' });
    await Product.create({ name: 'widget', owner_id: owner.id });
    const withProducts = await User.findByPk(owner.id, { include: [{ model: Product, as: 'products' }] });
    expect(withProducts?.products?.map((p) => p.name)).toEqual(['widget']);
    const product = await Product.findOne({ where: { name: 'widget' }, include: [{ model: User, as: 'owner' }] });
    expect(product?.owner?.email).toBe('mia@example.com');
  });
});

describe('the list', () => {
  it('searches email and name, case-insensitively, with % and _ taken literally', async () => {
    await call(backend, 'users.create', { email: 'percent@example.com', name: '100% Nora' });
    const byName = await call<UserListOutput>(backend, 'users.list', { search: 'NORA' });
    expect(byName.rows.map((r) => r.email)).toEqual(['percent@example.com']);
    const literal = await call<UserListOutput>(backend, 'users.list', { search: '0%' });
    expect(literal.rows.map((r) => r.email)).toEqual(['percent@example.com']);
    const none = await call<UserListOutput>(backend, 'users.list', { search: 'zzz_no_match' });
    expect(none).toEqual({ rows: [], nextCursor: null, previousCursor: null, total: { count: 0, estimated: false }, searchNote: null });
  });

  it('matches a whole email or a domain, in any case, and an exact id', async () => {
    const ann = await call<User>(backend, 'users.create', { email: 'ann@corp.example', name: 'Ann' });
    await call(backend, 'users.create', { email: 'ann@corp.example.net', name: 'Ann Two' });
    await client.query(`INSERT INTO users (email, name) VALUES ('Otto@CORP.example', 'Otto')`);
    const email = await call<UserListOutput>(backend, 'users.list', { search: 'ANN@corp.EXAMPLE', match: 'email' });
    expect(email.rows.map((r) => r.email)).toEqual(['ann@corp.example']);
    for (const search of ['corp.example', '@Corp.Example']) {
      const domain = await call<UserListOutput>(backend, 'users.list', { search, match: 'domain', sort: 'email' });
      expect(domain.rows.map((r) => r.email)).toEqual(['Otto@CORP.example', 'ann@corp.example'].sort((a, b) => a.localeCompare(b)));
    }
    expect((await call<UserListOutput>(backend, 'users.list', { search: String(ann.id), match: 'id' })).rows).toEqual([ann]);
    expect(await backend.dispatch('users.list', { search: 'ann', match: 'id' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'search', message: 'To search by id, type a user id: a whole number, like 42.' },
    });
    expect(await backend.dispatch('users.list', { search: 'a@b', match: 'domain' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'search' },
    });
  });

  it('filters by creation day, id range and product ownership', async () => {
    const owner = await call<User>(backend, 'users.create', { email: 'owner-filter@example.com', name: 'Owner Filter' });
    const loner = await call<User>(backend, 'users.create', { email: 'loner-filter@example.com', name: 'Loner Filter' });
    await client.query(`INSERT INTO products (name, owner_id) VALUES ('thing', $1)`, [owner.id]);
    await client.query(`UPDATE users SET created_at = '2020-02-29 23:59:59.999999' WHERE id = $1`, [loner.id]);
    const filtered = (filters: Record<string, unknown>) =>
      call<UserListOutput>(backend, 'users.list', { search: 'filter', filters }).then((page) => page.rows.map((r) => r.id));
    expect(await filtered({ products: 'some' })).toEqual([owner.id]);
    expect(await filtered({ products: 'none' })).toEqual([loner.id]);
    expect(await filtered({ createdFrom: '2020-02-29', createdTo: '2020-02-29' })).toEqual([loner.id]);
    expect(await filtered({ createdFrom: '2020-03-01' })).toEqual([owner.id]);
    expect(await filtered({ idFrom: loner.id })).toEqual([loner.id]);
    expect(await filtered({ idTo: owner.id })).toEqual([owner.id]);
    expect(await backend.dispatch('users.list', { filters: { createdFrom: '2020-02-30' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'filters.createdFrom' },
    });
  });

  it('refuses page sizes other than 25, 50 and 100', async () => {
    expect(await backend.dispatch('users.list', { pageSize: 10 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'pageSize', message: 'Page size must be one of 25, 50, 100' },
    });
  });

  it('returns only the columns the screen shows', async () => {
    const page = await call<UserListOutput>(backend, 'users.list', {});
    expect(Object.keys(page.rows[0] ?? {}).sort()).toEqual(['createdAt', 'email', 'id', 'name']);
  });
});

describe('where the trigram indexes are missing', () => {
  it('searching still works, and the note says why it is slower and what fixes it', async () => {
    await client.query(`INSERT INTO users (email, name) VALUES ('trgm-less@example.com', 'Trigram Less')`);
    const { db } = backend.defaultConnection;
    await client.query('DROP INDEX ix_users_name_trgm');
    invalidate(db); // what applying or rolling back migrations does
    const missingIndex = await call<UserListOutput>(backend, 'users.list', { search: 'trigram less' });
    expect(missingIndex.rows.map((r) => r.email)).toEqual(['trgm-less@example.com']);
    expect(missingIndex.searchNote).toBe(
      'Searching scans the whole table here: the search index ix_users_name_trgm is not built yet. Apply migrations (Connections → Migrations) to build it.',
    );
    // An email-only search does not need the name index.
    expect((await call<UserListOutput>(backend, 'users.list', { search: 'example.com', match: 'domain' })).searchNote).toBeNull();
    await client.query('DROP EXTENSION pg_trgm CASCADE');
    invalidate(db);
    const noExtension = await call<UserListOutput>(backend, 'users.list', { search: 'TRGM-less' });
    expect(noExtension.rows.map((r) => r.email)).toEqual(['trgm-less@example.com']);
    expect(noExtension.searchNote).toBe(
      'Searching scans the whole table here: the pg_trgm extension is not installed (this role may not create it). Ask an admin to run CREATE EXTENSION pg_trgm, then apply migrations.',
    );
    // Searching by id never needed it.
    expect((await call<UserListOutput>(backend, 'users.list', { search: '1', match: 'id' })).searchNote).toBeNull();
  });
});
