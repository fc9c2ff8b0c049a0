import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { App as Backend } from '../../src/main/bootstrap';
import { parseDatabaseUrl } from '../../src/main/db/target';
import type { Product, User, UserDetail } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from '../support/database';

let backend: Backend;
let client: pg.Client;
let url: string;
beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  url = setup.url;
  client = await rawClient(setup.database);
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

let users = 0;
/** A fresh user (emails are unique, so each test gets its own). */
async function newUser(name = 'Owner'): Promise<User> {
  users += 1;
  return call<User>(backend, 'users.create', { email: `owner${users}@example.com`, name });
}

/** The owner as products show it: only what the screens need. */
const ownerOf = (user: User) => ({ id: user.id, email: user.email, name: user.name });

async function productRows(): Promise<Array<{ id: number; name: string | null; owner_id: number | null }>> {
  return (await client.query<{ id: number; name: string | null; owner_id: number | null }>('SELECT id, name, owner_id FROM products ORDER BY id'))
    .rows;
}

async function expectError(procedure: string, input: unknown, error: Record<string, unknown>, connectionId?: string) {
  const before = await productRows();
  const result = await backend.dispatch(procedure, input, connectionId === undefined ? {} : { connectionId });
  expect(result).toMatchObject({ ok: false, error });
  // A refused request changes no product.
  expect(await productRows()).toEqual(before);
}

/** Resolves once some other session waits for a lock in this database: the request under test is blocked. */
async function untilSomeoneWaitsForALock(): Promise<void> {
  await expect
    .poll(async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
      return rows[0]?.n ?? 0;
    })
    .toBeGreaterThan(0);
}

describe('create and read', () => {
  it('creates a product without an owner', async () => {
    const product = await call<Product>(backend, 'products.create', { name: '  Widget  ' });
    expect(product).toEqual({ id: expect.any(Number), name: 'Widget', owner: null });
    const { rows } = await client.query('SELECT name, owner_id FROM products WHERE id = $1', [product.id]);
    expect(rows).toEqual([{ name: 'Widget', owner_id: null }]);
    expect(await call<Product>(backend, 'products.get', { id: product.id })).toEqual(product);
  });

  it('creates a product with an owner, and reads the owner back with only id, email and name', async () => {
    const owner = await newUser('Alice');
    const product = await call<Product>(backend, 'products.create', { name: 'Gadget', ownerId: owner.id });
    expect(product).toEqual({ id: expect.any(Number), name: 'Gadget', owner: ownerOf(owner) });
    const read = await call<Product>(backend, 'products.get', { id: product.id });
    expect(read).toEqual(product);
    expect(Object.keys(read.owner ?? {}).sort()).toEqual(['email', 'id', 'name']);
    expect((await call<UserDetail>(backend, 'users.get', { id: owner.id })).productCount).toBe(1);
  });

  it('`ownerId: null` is the same as no owner', async () => {
    expect(await call<Product>(backend, 'products.create', { name: 'Loose', ownerId: null })).toMatchObject({ name: 'Loose', owner: null });
  });

  it('a name stored as NULL by another tool reads back as null, and can be renamed', async () => {
    const owner = await newUser();
    const { rows } = await client.query<{ id: number }>('INSERT INTO products (name, owner_id) VALUES (NULL, $1) RETURNING id', [owner.id]);
    const id = rows[0]!.id;
    expect(await call<Product>(backend, 'products.get', { id })).toEqual({ id, name: null, owner: ownerOf(owner) });
    expect(await call<Product>(backend, 'products.update', { id, name: 'Named at last' })).toEqual({
      id,
      name: 'Named at last',
      owner: ownerOf(owner),
    });
  });
});

describe('update', () => {
  it('renames, keeping the owner', async () => {
    const owner = await newUser();
    const product = await call<Product>(backend, 'products.create', { name: 'Old name', ownerId: owner.id });
    const renamed = await call<Product>(backend, 'products.update', { id: product.id, name: ' New name ' });
    expect(renamed).toEqual({ ...product, name: 'New name' });
    expect((await client.query('SELECT name, owner_id FROM products WHERE id = $1', [product.id])).rows).toEqual([
      { name: 'New name', owner_id: owner.id },
    ]);
  });

  it('reassigns to another user, keeping the name', async () => {
    const first = await newUser('First');
    const second = await newUser('Second');
    const product = await call<Product>(backend, 'products.create', { name: 'Passed on', ownerId: first.id });
    expect(await call<Product>(backend, 'products.update', { id: product.id, ownerId: second.id })).toEqual({
      id: product.id,
      name: 'Passed on',
      owner: ownerOf(second),
    });
    expect((await call<UserDetail>(backend, 'users.get', { id: first.id })).productCount).toBe(0);
    expect((await call<UserDetail>(backend, 'users.get', { id: second.id })).productCount).toBe(1);
  });

  it('`ownerId: null` unassigns', async () => {
    const owner = await newUser();
    const product = await call<Product>(backend, 'products.create', { name: 'Let go', ownerId: owner.id });
    expect(await call<Product>(backend, 'products.update', { id: product.id, ownerId: null })).toEqual({
      id: product.id,
      name: 'Let go',
      owner: null,
    });
    expect((await client.query('SELECT owner_id FROM products WHERE id = $1', [product.id])).rows).toEqual([{ owner_id: null }]);
  });

  it('changes name and owner together', async () => {
    const owner = await newUser();
    const product = await call<Product>(backend, 'products.create', { name: 'Both' });
    expect(await call<Product>(backend, 'products.update', { id: product.id, name: 'Both changed', ownerId: owner.id })).toEqual({
      id: product.id,
      name: 'Both changed',
      owner: ownerOf(owner),
    });
  });

  it('an update with nothing to change is refused', async () => {
    const product = await call<Product>(backend, 'products.create', { name: 'Untouched' });
    await expectError('products.update', { id: product.id }, { code: 'VALIDATION', message: 'Nothing to change: give a new name or owner.' });
  });
});

describe('delete', () => {
  it('deletes, after which the product is not found', async () => {
    const product = await call<Product>(backend, 'products.create', { name: 'Doomed' });
    expect(await call(backend, 'products.delete', { id: product.id })).toEqual({ id: product.id });
    expect((await client.query('SELECT 1 FROM products WHERE id = $1', [product.id])).rowCount).toBe(0);
    const notFound = { code: 'NOT_FOUND', message: `Product #${product.id} does not exist (it may have been deleted). Refresh the list.` };
    await expectError('products.get', { id: product.id }, notFound);
    await expectError('products.delete', { id: product.id }, notFound);
    await expectError('products.update', { id: product.id, name: 'Back' }, notFound);
  });

  it('a missing product is NOT_FOUND even when the owner named is missing too', async () => {
    await expectError('products.update', { id: 999999, ownerId: 999999 }, { code: 'NOT_FOUND', message: expect.stringContaining('Product #999999') });
  });
});

describe('the owner must exist', () => {
  it('creating with an unknown owner is VALIDATION on ownerId and writes no row', async () => {
    await expectError(
      'products.create',
      { name: 'Orphan', ownerId: 999999 },
      { code: 'VALIDATION', field: 'ownerId', message: 'User #999999 does not exist (it may have been deleted). Choose another owner.' },
    );
  });

  it('reassigning to an unknown owner is VALIDATION on ownerId and keeps the row as it was', async () => {
    const owner = await newUser();
    const product = await call<Product>(backend, 'products.create', { name: 'Kept', ownerId: owner.id });
    await expectError(
      'products.update',
      { id: product.id, name: 'Not this', ownerId: 999999 },
      { code: 'VALIDATION', field: 'ownerId', message: 'User #999999 does not exist (it may have been deleted). Choose another owner.' },
    );
    expect(await call<Product>(backend, 'products.get', { id: product.id })).toEqual(product);
  });

  it('an owner deleted while the product is being created: the create fails on ownerId and writes nothing', async () => {
    const owner = await newUser('Leaving');
    // Another session deletes the owner and holds its transaction open, so the create's foreign-key
    // check has to wait for it: whatever the create saw before, the check sees the delete committed.
    await client.query('BEGIN');
    try {
      await client.query('DELETE FROM users WHERE id = $1', [owner.id]);
      const before = await productRows();
      const pending = backend.dispatch('products.create', { name: 'Too late', ownerId: owner.id });
      await untilSomeoneWaitsForALock();
      await client.query('COMMIT');
      expect(await pending).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'ownerId', message: expect.stringContaining(`User #${owner.id}`) },
      });
      expect(await productRows()).toEqual(before);
    } finally {
      await client.query('ROLLBACK'); // only a warning when the COMMIT already ran
    }
  });

  it('an owner deleted while a product is being reassigned to them: the update fails on ownerId and changes nothing', async () => {
    const owner = await newUser('Staying');
    const leaving = await newUser('Leaving');
    const product = await call<Product>(backend, 'products.create', { name: 'Stays put', ownerId: owner.id });
    await client.query('BEGIN');
    try {
      await client.query('DELETE FROM users WHERE id = $1', [leaving.id]);
      const pending = backend.dispatch('products.update', { id: product.id, ownerId: leaving.id });
      await untilSomeoneWaitsForALock();
      await client.query('COMMIT');
      expect(await pending).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'ownerId' } });
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await call<Product>(backend, 'products.get', { id: product.id })).toEqual(product);
  });
});

describe('concurrent changes', () => {
  it('an owner created while the reassignment waited for the row is named in the answer, not reported as none', async () => {
    const product = await call<Product>(backend, 'products.create', { name: 'Waiting' });
    // Another session locks the product and creates a user in one transaction. The UPDATE starts
    // (its snapshot has no such user), waits for the row, and once that commits its foreign-key
    // check finds the new user: the answer must say so, though the statement's own join cannot.
    await client.query('BEGIN');
    let newcomer: User;
    try {
      await client.query('SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [product.id]);
      newcomer = (await client.query<User>(`INSERT INTO users (email, name) VALUES ('newcomer@example.com', 'Newcomer') RETURNING id, email, name`))
        .rows[0]!;
      const pending = backend.dispatch('products.update', { id: product.id, ownerId: newcomer.id });
      await untilSomeoneWaitsForALock();
      await client.query('COMMIT');
      expect(await pending).toEqual({ ok: true, data: { id: product.id, name: 'Waiting', owner: ownerOf(newcomer) } });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('a rename and a reassignment at the same time: neither undoes the other', async () => {
    const owner = await newUser('Claimant');
    const product = await call<Product>(backend, 'products.create', { name: 'Contested' });
    const [reassigned, renamed] = await Promise.all([
      call<Product>(backend, 'products.update', { id: product.id, ownerId: owner.id }),
      call<Product>(backend, 'products.update', { id: product.id, name: 'Contested, renamed' }),
    ]);
    expect(reassigned.owner).toEqual(ownerOf(owner));
    expect(renamed.name).toBe('Contested, renamed');
    // Only the fields given change, so whichever ran second kept the first one's change.
    expect(await call<Product>(backend, 'products.get', { id: product.id })).toEqual({
      id: product.id,
      name: 'Contested, renamed',
      owner: ownerOf(owner),
    });
  });
});

describe('deleting a user un-owns their products', () => {
  it('users.delete reports 3 products unowned, and each reads back with owner null', async () => {
    const owner = await newUser('Departing');
    const other = await newUser('Remaining');
    const owned = [];
    for (const name of ['One', 'Two', 'Three']) owned.push(await call<Product>(backend, 'products.create', { name, ownerId: owner.id }));
    const kept = await call<Product>(backend, 'products.create', { name: 'Not theirs', ownerId: other.id });

    expect(await call(backend, 'users.delete', { id: owner.id })).toEqual({ id: owner.id, productsUnowned: 3 });
    for (const product of owned) expect(await call<Product>(backend, 'products.get', { id: product.id })).toEqual({ ...product, owner: null });
    expect(await call<Product>(backend, 'products.get', { id: kept.id })).toEqual(kept);
    // An unowned product can be given a new owner.
    expect(await call<Product>(backend, 'products.update', { id: owned[0]!.id, ownerId: other.id })).toMatchObject({ owner: ownerOf(other) });
  });
});

describe('refused input names the field, is never INTERNAL, and writes nothing', () => {
  const tooBig = 2_147_483_648;
  it.each([
    [{ name: '   ' }, 'name', 'Name is required'],
    [{}, 'name', 'Name is required.'],
    [{ name: 'n'.repeat(201) }, 'name', 'Name must be at most 200 characters'],
    [{ name: 'a\u0000b' }, 'name', 'Name must not contain control characters (tabs, line breaks, NUL)'],
    [{ name: 'line\nbreak' }, 'name', 'Name must not contain control characters (tabs, line breaks, NUL)'],
    [{ name: 42 }, 'name', 'Name must be text'],
    [{ name: 'X', ownerId: 0 }, 'ownerId', undefined],
    [{ name: 'X', ownerId: -3 }, 'ownerId', undefined],
    [{ name: 'X', ownerId: 1.5 }, 'ownerId', undefined],
    [{ name: 'X', ownerId: tooBig }, 'ownerId', undefined],
    [{ name: 'X', ownerId: '7' }, 'ownerId', undefined],
    [{ name: 'X', owner_id: 1 }, 'owner_id', 'Unknown field "owner_id".'],
  ])('products.create %j → VALIDATION on %s', async (input, field, message) => {
    await expectError('products.create', input, { code: 'VALIDATION', field, ...(message ? { message } : {}) });
  });

  it('the name may be exactly 200 characters', async () => {
    expect((await call<Product>(backend, 'products.create', { name: 'n'.repeat(200) })).name).toHaveLength(200);
  });

  it.each([
    ['products.get', { id: 0 }, 'id'],
    ['products.get', { id: -1 }, 'id'],
    ['products.get', { id: 2_147_483_648 }, 'id'],
    ['products.get', { id: 'abc' }, 'id'],
    ['products.get', {}, 'id'],
    ['products.delete', { id: 2_147_483_648 }, 'id'],
    ['products.delete', { id: 1.5 }, 'id'],
    ['products.update', { id: 2_147_483_648, name: 'X' }, 'id'],
    ['products.update', { id: 1, name: '' }, 'name'],
    ['products.update', { id: 1, name: 'n'.repeat(201) }, 'name'],
    ['products.update', { id: 1, name: 'tab\there' }, 'name'],
    ['products.update', { id: 1, ownerId: 2_147_483_648 }, 'ownerId'],
    ['products.update', { id: 1, ownerId: 0 }, 'ownerId'],
  ])('%s %j → VALIDATION on %s', async (procedure, input, field) => {
    await expectError(procedure, input, { code: 'VALIDATION', field });
  });

  it('the largest id is a valid id: NOT_FOUND, not a range error from PostgreSQL', async () => {
    await expectError('products.get', { id: 2_147_483_647 }, { code: 'NOT_FOUND' });
    await expectError('products.create', { name: 'X', ownerId: 2_147_483_647 }, { code: 'VALIDATION', field: 'ownerId' });
  });
});

describe('on a read-only connection', () => {
  const READ_ONLY = 'read-only';
  beforeAll(() => {
    // The same database through a pool whose sessions start read-only, as a read-only profile opens it.
    backend.services.connections.open(READ_ONLY, { ...parseDatabaseUrl(url), readOnly: true });
  });

  it('reads, but every write is refused by the server with a clear PERMISSION error and changes nothing', async () => {
    const owner = await newUser();
    const product = await call<Product>(backend, 'products.create', { name: 'Read me', ownerId: owner.id });
    const read = await backend.dispatch('products.get', { id: product.id }, { connectionId: READ_ONLY });
    expect(read).toEqual({ ok: true, data: product });

    const refused = {
      code: 'PERMISSION',
      message: expect.stringMatching(/is a read-only connection: the server refused the change, and nothing was changed\.$/),
    };
    await expectError('products.create', { name: 'Nope', ownerId: owner.id }, refused, READ_ONLY);
    await expectError('products.create', { name: 'Nope' }, refused, READ_ONLY);
    await expectError('products.update', { id: product.id, name: 'Changed' }, refused, READ_ONLY);
    await expectError('products.delete', { id: product.id }, refused, READ_ONLY);
  });
});
