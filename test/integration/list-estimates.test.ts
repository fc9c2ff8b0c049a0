import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { forgetEstimate } from '../../src/main/db/table-facts';
import { createUserService } from '../../src/main/users/service';
import { userListInputSchema, type LocateOutput, type UserListInput, type UserListOutput } from '../../src/shared/contract';
import { call, migratedBackend, rawClient } from '../support/database';

// A database of its own: another tool empties most of the table behind the app's back.
let backend: Backend;
let client: pg.Client;
const ROWS = 50_011;

beforeAll(async () => {
  const setup = await migratedBackend();
  backend = setup.backend;
  client = await rawClient(setup.database);
  // The planner's figures then stay as they are until someone runs VACUUM or ANALYZE by hand.
  await client.query('ALTER TABLE users SET (autovacuum_enabled = false)');
  await client.query(
    `INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || lpad(g::text, 5, '0') FROM generate_series(1, ${ROWS}) AS g`,
  );
  await client.query('ANALYZE users');
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

const list = (input: UserListInput) => call<UserListOutput>(backend, 'users.list', input);
/** The first page as the window asks for it, but with all the time its counts need: a busy machine must not turn an exact total into an estimate here. */
const patientList = () => createUserService(backend.defaultConnection.db, { countBudgetMs: 60_000 }).list(userListInputSchema.parse({}));
const locate = (input: Record<string, unknown>) => call<LocateOutput>(backend, 'users.locate', input);

describe('after another tool deletes most of a large table', () => {
  it('the total and go-to-row are exact again once the cached estimate expires, though the planner still says 50,011', async () => {
    // Large, but counted within the time box (a long one here, so a busy machine cannot make it run out): exact (see tableTotal).
    const before = await patientList();
    expect(before.total).toEqual({ count: ROWS, estimated: false });
    expect(await locate({ target: { kind: 'row', row: 20 } })).toMatchObject({ approximate: true });

    await client.query('DELETE FROM users WHERE id > 30');
    const { rows } = await client.query<{ estimate: number }>(
      `SELECT (reltuples / relpages * (pg_relation_size(oid) / current_setting('block_size')::int))::int AS estimate FROM pg_class WHERE relname = 'users'`,
    );
    expect(rows[0]!.estimate).toBeGreaterThan(ROWS * 0.95);
    // What the cache's 60 seconds running out does.
    forgetEstimate(backend.defaultConnection.db, 'users');

    const after = await patientList();
    expect(after.rows).toHaveLength(25);
    expect(after.total).toEqual({ count: 30, estimated: false });
    // A position is a row number counted, not a guess from statistics of 50,011 rows.
    const twentieth = await locate({ target: { kind: 'row', row: 20 } });
    expect(twentieth).toMatchObject({ row: 20, approximate: false, message: 'Row 20' });
    expect((await list({ at: twentieth.cursor })).rows.map((row) => row.id)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    // The end is the last full page, not a page of one row.
    expect(await locate({ sort: 'name', direction: 'desc', target: { kind: 'fraction', fraction: 1 } })).toMatchObject({
      row: 6,
      approximate: false,
      message: 'The last page',
    });
  });

  it('our own writes keep the checked figure in step, and a table that grows past the limit is counted whole again', async () => {
    const user = await call<{ id: number }>(backend, 'users.create', { email: 'new@example.com', name: 'New' });
    expect((await patientList()).total).toEqual({ count: 31, estimated: false });
    await call(backend, 'users.delete', { id: user.id });
    expect((await patientList()).total).toEqual({ count: 30, estimated: false });
    await client.query(`INSERT INTO users (email, name) SELECT 'more' || g || '@example.com', 'More' FROM generate_series(1, 20000) AS g`);
    forgetEstimate(backend.defaultConnection.db, 'users');
    // Large again, and still quick to count: the exact figure, not the planner's.
    expect((await patientList()).total).toEqual({ count: 20_030, estimated: false });
  });
});
