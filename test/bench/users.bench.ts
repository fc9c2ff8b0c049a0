import pg from 'pg';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { USER_COLUMNS } from '../../src/main/users/queries';
import { migratedBackend, rawClient } from '../support/database';

// Our figure beside the raw baseline, from the same run: Simple DB's whole path (contract
// validation, dispatch, Sequelize pool, output check) against the same SQL sent with plain `pg`.
// vitest prints each group's ratio ("N.NNx faster than …").
const ROWS = 100_000;
let backend: Backend;
let plain: pg.Client;
let emailNearEnd = '';
let deepCursor: string | null = null;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  plain = await rawClient(setup.database);
  await plain.query(`INSERT INTO users (email, name) SELECT 'user' || g || '@example.com', 'Name ' || g FROM generate_series(1, ${ROWS}) g`);
  await plain.query('ANALYZE users');
  emailNearEnd = `user${ROWS - 5}@example.com`;
  const first = await backend.dispatch('users.list', { sort: 'email', pageSize: 100 });
  if (first.ok) deepCursor = (first.data as { nextCursor: string }).nextCursor;
}, 300_000);
afterAll(async () => {
  await plain?.end();
  await backend?.close();
});

describe(`users.list, first page of 50 by email (${ROWS.toLocaleString()} rows)`, () => {
  bench('simple-db users.list', async () => {
    await backend.dispatch('users.list', { sort: 'email', pageSize: 50 });
  });
  bench('plain pg (same SQL + count)', async () => {
    await plain.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY email, id LIMIT 51`);
    await plain.query(`SELECT reltuples::bigint FROM pg_class WHERE oid = 'users'::regclass`);
  });
});

describe('users.list, a later page by keyset', () => {
  bench('simple-db users.list (keyset cursor)', async () => {
    await backend.dispatch('users.list', { sort: 'email', pageSize: 100, after: deepCursor });
  });
  bench('plain pg keyset', async () => {
    await plain.query(`SELECT ${USER_COLUMNS} FROM users WHERE (email, id) > ($1, $2) ORDER BY email, id LIMIT 101`, ['user100@example.com', 0]);
  });
  bench('plain pg OFFSET (what keyset avoids)', async () => {
    await plain.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY email, id OFFSET ${ROWS - 200} LIMIT 101`);
  });
});

describe('users.get by email', () => {
  bench('simple-db users.get', async () => {
    await backend.dispatch('users.get', { email: emailNearEnd });
  });
  bench('plain pg', async () => {
    await plain.query(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [emailNearEnd]);
    await plain.query('SELECT count(*) FROM products WHERE owner_id = $1', [1]);
  });
});

let n = 0;
describe('users.create', () => {
  bench('simple-db users.create (checks, transaction)', async () => {
    await backend.dispatch('users.create', { email: `bench-a-${n++}@example.com`, name: 'Bench' });
  });
  bench('plain pg INSERT', async () => {
    await plain.query('INSERT INTO users (email, name) VALUES ($1, $2)', [`bench-b-${n++}@example.com`, 'Bench']);
  });
});
