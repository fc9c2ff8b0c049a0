import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { createMigrator, migrationList, migrationState, type MigrationEntry } from '../../src/main/db/migrations';
import { applyMigrations, call, createTestDatabase, rawClient } from '../support/database';
import type { IndexSpec, MigrationContext } from '../../src/main/db/migration-context';
import type { MigrationState } from '../../src/shared/contract';

let backend: Backend;
let client: pg.Client;
beforeAll(async () => {
  const { name, url } = await createTestDatabase();
  backend = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
  client = await rawClient(name);
});
afterAll(async () => {
  await client?.end();
  await backend?.close();
});

interface ColumnInfo {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

async function columns(table: string): Promise<ColumnInfo[]> {
  const { rows } = await client.query<ColumnInfo>(
    `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
       FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

async function indexNames(): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((r) => r.indexname);
}

async function tables(): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('users','products') ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations on a database someone else runs', () => {
  it('are reported as pending and never applied silently', async () => {
    const state = await call<MigrationState>(backend, 'migrations.status');
    expect(state).toMatchObject({ applied: [], pending: migrationList.map((m) => m.name), backupsBefore: {} });
    // What the pending index migration will build: nothing to measure yet (its tables come with it).
    const withIndexes = migrationList.filter((m) => m.module.indexes?.length);
    expect(state.plans?.map((plan) => plan.name)).toEqual(withIndexes.map((m) => m.name));
    for (const plan of state.plans ?? []) {
      // Nothing to measure, but an index is never smaller than its meta and root pages.
      for (const index of plan.indexes)
        expect(index).toMatchObject({ estimatedBytes: 16_384, estimatedSeconds: 0, concurrently: true, skipped: null });
    }
    expect(await tables()).toEqual([]);
    const list = await backend.dispatch('users.list', {});
    expect(list).toMatchObject({ ok: false, error: { code: 'SCHEMA' } });
  });

  it('apply on request', async () => {
    const state = await applyMigrations(backend);
    expect(state.pending).toEqual([]);
    expect(state.plans).toBeUndefined();
    expect(state.applied).toEqual(migrationList.map((m) => m.name));
    // What rolling each back does, for the confirmation: an index migration loses no rows, a table's loses its rows.
    const effects = state.rollbackEffects ?? {};
    expect(effects[migrationList.find((m) => m.name.endsWith('add-list-indexes'))!.name]).toMatch(/^Drops the indexes it built; no rows are lost\./);
    expect(effects[migrationList.find((m) => m.name.endsWith('create-products'))!.name]).toBe('Drops the products table, with every product in it.');
  });
});

describe('the schema follows the seed exactly', () => {
  it('users: seed columns, unbounded varchar, timestamp without time zone', async () => {
    expect(await columns('users')).toEqual([
      {
        column_name: 'id',
        data_type: 'integer',
        character_maximum_length: null,
        is_nullable: 'NO',
        column_default: "nextval('users_id_seq'::regclass)",
      },
      { column_name: 'email', data_type: 'character varying', character_maximum_length: null, is_nullable: 'NO', column_default: null },
      { column_name: 'name', data_type: 'character varying', character_maximum_length: null, is_nullable: 'NO', column_default: null },
      {
        column_name: 'created_at',
        data_type: 'timestamp without time zone',
        character_maximum_length: null,
        is_nullable: 'NO',
        column_default: 'CURRENT_TIMESTAMP',
      },
    ]);
  });

  it('users: primary key, unique email and ix_users_email, and the list indexes', async () => {
    const { rows } = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'users' ORDER BY indexname`);
    expect(rows).toEqual([
      { indexname: 'ix_users_created_at_id', indexdef: 'CREATE INDEX ix_users_created_at_id ON public.users USING btree (created_at, id)' },
      { indexname: 'ix_users_email', indexdef: 'CREATE INDEX ix_users_email ON public.users USING btree (email)' },
      { indexname: 'ix_users_email_trgm', indexdef: 'CREATE INDEX ix_users_email_trgm ON public.users USING gin (email gin_trgm_ops)' },
      { indexname: 'ix_users_name_id', indexdef: 'CREATE INDEX ix_users_name_id ON public.users USING btree (name, id)' },
      { indexname: 'ix_users_name_trgm', indexdef: 'CREATE INDEX ix_users_name_trgm ON public.users USING gin (name gin_trgm_ops)' },
      { indexname: 'users_email_key', indexdef: 'CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)' },
      { indexname: 'users_pkey', indexdef: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)' },
    ]);
  });

  it('products: owner_id references users(id) ON DELETE SET NULL, indexed', async () => {
    expect((await columns('products')).map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['id', 'integer', 'NO'],
      ['name', 'character varying', 'YES'],
      ['owner_id', 'integer', 'YES'],
    ]);
    const { rows: fks } = await client.query(`
      SELECT kcu.column_name, ccu.table_name AS ref_table, ccu.column_name AS ref_column, rc.delete_rule
        FROM information_schema.referential_constraints rc
        JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name
        JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name
       WHERE kcu.table_name = 'products'`);
    expect(fks).toEqual([{ column_name: 'owner_id', ref_table: 'users', ref_column: 'id', delete_rule: 'SET NULL' }]);
    const { rows: indexes } = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'products' ORDER BY 1`);
    expect(indexes.map((r) => r.indexname)).toEqual([
      'ix_products_name_id',
      'ix_products_name_trgm',
      'ix_products_owner_id',
      'ix_products_unowned',
      'products_pkey',
    ]);
  });
});

describe('every migration has a working down', () => {
  it('down to nothing, then up again, keeps the same schema', async () => {
    const migrator = createMigrator(backend.defaultConnection.db.sequelize);
    const before = [await columns('users'), await columns('products')];
    const reverted = await migrator.down({ to: 0 });
    expect(reverted.map((m) => m.name)).toEqual(migrationList.map((m) => m.name).reverse());
    expect(await tables()).toEqual([]);
    await migrator.up();
    expect([await columns('users'), await columns('products')]).toEqual(before);
  });

  it('down one step removes only the newest migration', async () => {
    const migrator = createMigrator(backend.defaultConnection.db.sequelize);
    const newest = migrationList.at(-1)!;
    const declared = (newest.module.indexes ?? []).map((index) => index.name);
    await migrator.down({ step: 1 });
    for (const name of declared) expect(await indexNames()).not.toContain(name);
    expect(await tables()).toEqual(['products', 'users']);
    await migrator.up();
    expect(await indexNames()).toEqual(expect.arrayContaining(declared));
  });
});

describe('migrations are all-or-nothing and safe to run twice at once', () => {
  it('a failing migration leaves nothing of itself and is not recorded', async () => {
    const { name, url } = await createTestDatabase();
    const other = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    const client2 = await rawClient(name);
    try {
      const migrator = createMigrator(other.defaultConnection.db.sequelize, {
        concurrently: false,
        list: [
          {
            name: '001.good',
            module: {
              up: async ({ query }) => void (await query('CREATE TABLE good (id int)')),
              down: async ({ query }) => void (await query('DROP TABLE good')),
            },
          },
          {
            name: '002.bad',
            module: {
              up: async ({ query }) => {
                await query('CREATE TABLE half_done (id int)');
                await query('SELECT * FROM no_such_table');
              },
              down: async () => {},
            },
          },
        ],
      });
      await expect(migrator.up()).rejects.toThrow(/002\.bad/);
      const { rows } = await client2.query(`SELECT to_regclass('good') IS NOT NULL AS good, to_regclass('half_done') IS NOT NULL AS half_done`);
      expect(rows).toEqual([{ good: true, half_done: false }]);
      const { rows: recorded } = await client2.query('SELECT name FROM "SequelizeMeta" ORDER BY name');
      expect(recorded).toEqual([{ name: '001.good' }]);
    } finally {
      await client2.end();
      await other.close();
    }
  });

  it('an index build that fails CONCURRENTLY leaves no INVALID index and the migration unrecorded; fixed, it applies', async () => {
    const { name, url } = await createTestDatabase();
    const other = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    const client2 = await rawClient(name);
    const { db, target } = other.defaultConnection;
    // Safe to run twice, as a migration with indexes must be: its up is committed before the build.
    const up = async ({ query }: MigrationContext) =>
      void (await query('CREATE TABLE IF NOT EXISTS t AS SELECT g AS a FROM generate_series(0, 100) AS g'));
    const down = async ({ query }: MigrationContext) => void (await query('DROP TABLE t'));
    const index: Omit<IndexSpec, 'columns'> = { name: 'ix_t_a', table: 't', method: 'btree', sizedBy: ['a'], purpose: 'testing' };
    try {
      // Division by zero at a = 1, found while the index is being filled: PostgreSQL leaves it INVALID.
      const failing = createMigrator(db.sequelize, {
        concurrently: true,
        target,
        list: [{ name: '001.indexed', module: { up, down, indexes: [{ ...index, columns: '((1 / (a - 1)))' }] } }],
      });
      await expect(failing.up()).rejects.toThrow(/division by zero/);
      const { rows: invalid } = await client2.query('SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid');
      expect(invalid).toEqual([]);
      expect((await client2.query('SELECT name FROM "SequelizeMeta"')).rows).toEqual([]);

      const fixed = createMigrator(db.sequelize, {
        concurrently: true,
        target,
        list: [{ name: '001.indexed', module: { up, down, indexes: [{ ...index, columns: '(a)' }] } }],
      });
      expect((await fixed.up()).map((m) => m.name)).toEqual(['001.indexed']);
      const { rows: built } = await client2.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('ix_t_a')");
      expect(built).toEqual([{ valid: true }]);
      expect((await client2.query('SELECT name FROM "SequelizeMeta"')).rows).toEqual([{ name: '001.indexed' }]);
    } finally {
      await client2.end();
      await other.close();
    }
  });

  it('an applied migration’s index found missing or INVALID is built again (in one transaction here), unless a later migration retired it', async () => {
    const { name, url } = await createTestDatabase();
    const other = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    const client2 = await rawClient(name);
    const { sequelize } = other.defaultConnection.db;
    const spec = (index: string, columns: string): IndexSpec => ({
      name: index,
      table: 't',
      method: 'btree',
      columns,
      sizedBy: ['a'],
      purpose: 'testing',
    });
    const list: MigrationEntry[] = [
      {
        name: '001.indexed',
        module: {
          up: async ({ query }) => void (await query('CREATE TABLE t AS SELECT g AS a FROM generate_series(0, 100) AS g')),
          down: async ({ query }) => void (await query('DROP TABLE t')),
          indexes: [spec('ix_t_a', '(a)'), spec('ix_t_b', '(a DESC)')],
        },
      },
    ];
    const retiring: MigrationEntry = {
      name: '002.retire',
      module: {
        up: async ({ query }) => void (await query('DROP INDEX ix_t_b')),
        down: async ({ query }) => void (await query('CREATE INDEX ix_t_b ON t (a DESC)')),
        retires: ['ix_t_b'],
      },
    };
    const valid = async () =>
      (
        await client2.query<{ name: string; valid: boolean }>(
          "SELECT relname AS name, indisvalid AS valid FROM pg_index JOIN pg_class ON oid = indexrelid WHERE relname LIKE 'ix_t_%' ORDER BY 1",
        )
      ).rows;
    try {
      const migrator = createMigrator(sequelize, { concurrently: false, list });
      await migrator.up();
      expect(await migrator.buildMissingIndexes()).toEqual([]);

      // Dropped by hand, and left INVALID by a build that failed elsewhere.
      await client2.query('DROP INDEX ix_t_a');
      await client2.query('DROP INDEX ix_t_b');
      await expect(client2.query('CREATE INDEX CONCURRENTLY ix_t_b ON t ((1 / (a - 1)))')).rejects.toThrow(/division by zero/);
      expect(await migrationState(migrator, sequelize)).toEqual({ applied: ['001.indexed'], pending: [], missingIndexes: ['ix_t_a', 'ix_t_b'] });

      const outcomes = await migrator.buildMissingIndexes();
      expect(outcomes.map(({ migration, index, outcome, missing }) => ({ migration, name: index.name, outcome, missing }))).toEqual([
        { migration: '001.indexed', name: 'ix_t_a', outcome: 'built', missing: true },
        { migration: '001.indexed', name: 'ix_t_b', outcome: 'built', missing: true },
      ]);
      expect(await valid()).toEqual([
        { name: 'ix_t_a', valid: true },
        { name: 'ix_t_b', valid: true },
      ]);
      const { rows } = await client2.query<{ def: string }>("SELECT pg_get_indexdef(to_regclass('ix_t_b')) AS def");
      expect(rows[0]!.def).toMatch(/\(a DESC\)$/);
      expect((await migrationState(migrator, sequelize)).missingIndexes).toBeUndefined();

      // A later migration that drops one on purpose says so: it is not built again.
      const later = createMigrator(sequelize, { concurrently: false, list: [...list, retiring] });
      expect((await later.up()).map((migration) => migration.name)).toEqual(['002.retire']);
      expect(await later.buildMissingIndexes()).toEqual([]);
      expect(await migrationState(later, sequelize)).toEqual({ applied: ['001.indexed', '002.retire'], pending: [] });
      expect(await valid()).toEqual([{ name: 'ix_t_a', valid: true }]);
    } finally {
      await client2.end();
      await other.close();
    }
  });

  it('two Simple DBs migrating the same database at once both succeed, each migration applied once', async () => {
    const { name, url } = await createTestDatabase();
    const a = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    const b = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
    const client2 = await rawClient(name);
    try {
      const results = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect(results.map((state) => state.pending)).toEqual([[], []]);
      const { rows } = await client2.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(migrationList.map((m) => m.name));
    } finally {
      await client2.end();
      await a.close();
      await b.close();
    }
  });
});
