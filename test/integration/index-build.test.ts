import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { buildIndexConcurrently, openBuilderSession } from '../../src/main/db/index-build';
import type { IndexSpec } from '../../src/main/db/migration-context';
import { createMigrator, migrationList } from '../../src/main/db/migrations';
import type { AppEvent, AppInfo, Job, JobProgress, MigrationState, UserListOutput } from '../../src/shared/contract';
import { applyMigrations, call, createTestDatabase, rawClient, serverConnection } from '../support/database';

/** Big enough that each trigram index takes a moment to build, so a cancel lands in the middle of one. */
const USERS = 300_000;
const PRODUCTS = 30_000;

const indexMigration = migrationList.find((migration) => migration.module.indexes?.length)!;
const declared = indexMigration.module.indexes!;
const beforeIndexes = migrationList[migrationList.indexOf(indexMigration) - 1]!.name;

const quietLog = process.env.DEBUG_LOG ? (line: string) => console.error(line) : () => {};

/** A backend on `url` (a DATABASE_URL connection: not the embedded one, so indexes are built CONCURRENTLY), with every event it emits. */
async function backendOn(url: string): Promise<{ backend: Backend; events: AppEvent[] }> {
  const backend = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: quietLog });
  const events: AppEvent[] = [];
  backend.services.bus.subscribe((event) => events.push(event));
  return { backend, events };
}

/** The migrations before the index migration, so its tables exist and can be filled before it runs. */
async function migrateUpToIndexes(backend: Backend): Promise<void> {
  await createMigrator(backend.defaultConnection.db.sequelize).up({ to: beforeIndexes });
}

/** The job's first progress event that satisfies `match` (those already seen included). */
function progressWhere(backend: Backend, events: AppEvent[], jobId: string, match: (progress: JobProgress) => boolean): Promise<JobProgress> {
  return new Promise((resolve, reject) => {
    const check = (event: AppEvent) => {
      if (event.type === 'job.finished' && event.job.id === jobId) {
        stop();
        reject(new Error(`the job ended (${event.job.state}) before the progress awaited: ${JSON.stringify(event.job.error)}`));
      }
      if (event.type === 'job.progress' && event.job.id === jobId && event.job.progress && match(event.job.progress)) {
        stop();
        resolve(event.job.progress);
      }
    };
    const stop = backend.services.bus.subscribe(check);
    events.forEach(check);
  });
}

function progressOf(events: AppEvent[], jobId: string): JobProgress[] {
  return events.flatMap((event) => (event.type === 'job.progress' && event.job.id === jobId && event.job.progress ? [event.job.progress] : []));
}

interface IndexRow {
  name: string;
  valid: boolean;
}

async function declaredIndexes(client: pg.Client): Promise<IndexRow[]> {
  const { rows } = await client.query<IndexRow>(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = ANY ($1::text[]) ORDER BY c.relname::text COLLATE "C"`,
    [declared.map((index) => index.name)],
  );
  return rows;
}

async function invalidIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    'SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid',
  );
  return rows.map((row) => row.name);
}

async function recorded(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name');
  return rows.map((row) => row.name);
}

/** How many sessions of the migrations builder are there (any state): none once an apply has ended. */
async function builderSessions(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'simple-db (migrations)' AND datname = current_database()",
  );
  return rows[0]!.n;
}

/** Waits until `check` answers true (tried every 50 ms), or fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('index builds on a server Simple DB does not run (CONCURRENTLY, as a job)', () => {
  let backend: Backend;
  let events: AppEvent[];
  let raw: pg.Client;

  beforeAll(async () => {
    const { name, url } = await createTestDatabase();
    ({ backend, events } = await backendOn(url));
    await migrateUpToIndexes(backend);
    raw = await rawClient(name);
    await raw.query(
      `INSERT INTO users (email, name, created_at)
       SELECT 'user' || g || '@example.com', 'User ' || g, now() - g * interval '1 minute' FROM generate_series(1, $1) AS g`,
      [USERS],
    );
    await raw.query(
      `INSERT INTO products (name, owner_id)
       SELECT 'Product ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE g END FROM generate_series(1, $1) AS g`,
      [PRODUCTS],
    );
  }, 300_000);
  afterAll(async () => {
    await raw?.end();
    await backend?.close();
  });

  it('the plan gives each index of the pending migration a size and a time, built CONCURRENTLY', async () => {
    const state = await call<MigrationState>(backend, 'migrations.status');
    expect(state.pending).toEqual([indexMigration.name]);
    const [plan] = state.plans ?? [];
    expect(plan?.name).toBe(indexMigration.name);
    expect(plan?.indexes.map((index) => index.name)).toEqual(declared.map((index) => index.name));
    for (const index of plan!.indexes) {
      expect(index).toMatchObject({ concurrently: true, skipped: null });
      expect(index.purpose).not.toBe('');
      expect(index.estimatedBytes).toBeGreaterThan(0);
      expect(index.estimatedSeconds).toBeGreaterThan(0);
    }
    const users = plan!.indexes.find((index) => index.name === 'ix_users_name_id')!;
    const products = plan!.indexes.find((index) => index.name === 'ix_products_name_id')!;
    // Ten times the rows: a larger estimate (the numbers are rough, their order is not).
    expect(users.estimatedBytes).toBeGreaterThan(products.estimatedBytes);
    // Looking changed nothing.
    expect(await declaredIndexes(raw)).toEqual([]);
  });

  it('cancel during a build stops it on the server, leaves no INVALID index and records nothing', async () => {
    const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
    // A trigram index on 300,000 emails, seen scanning the table: certainly under way.
    await progressWhere(backend, events, jobId, (p) => /^Index \d+ of \d+: ix_users_email_trgm /.test(p.message ?? '') && (p.total ?? 0) > 0);
    const cancelled = await call<Job>(backend, 'jobs.cancel', { id: jobId });
    expect(cancelled.state).toBe('cancelled');

    expect(await invalidIndexes(raw)).toEqual([]);
    const { rows } = await raw.query<{ exists: boolean }>("SELECT to_regclass('ix_users_email_trgm') IS NOT NULL AS exists");
    expect(rows[0]!.exists).toBe(false);
    // The indexes finished before the cancel stay, valid: the retry keeps them.
    expect(await declaredIndexes(raw)).toEqual([
      { name: 'ix_users_created_at_id', valid: true },
      { name: 'ix_users_name_id', valid: true },
    ]);
    expect(await recorded(raw)).not.toContain(indexMigration.name);
    // Nothing of the build runs on: its session is idle or gone.
    const { rows: busy } = await raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'simple-db (migrations)' AND state = 'active'",
    );
    expect(busy[0]!.n).toBe(0);
    const status = await call<MigrationState>(backend, 'migrations.status');
    expect(status.pending).toEqual([indexMigration.name]);
  });

  it('apply again builds the rest with progress from pg_stat_progress_create_index, then records the migration', async () => {
    const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
    const job = await backend.services.jobs.finished(jobId);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ state: 'succeeded', kind: 'migrations.up' });
    expect(job.summary).toBe('Applied 1 migration; built 5 indexes; kept 2 indexes already built.');
    expect((job.result as MigrationState).pending).toEqual([]);

    const progress = progressOf(events, jobId);
    // The server's own account of the build: blocks scanned of the table's total.
    const scanned = progress.filter((p) => p.unit === 'blocks' && (p.total ?? 0) > 0);
    expect(scanned.length).toBeGreaterThan(0);
    expect(scanned.every((p) => p.done <= p.total!)).toBe(true);
    expect(progress.some((p) => /^Index \d+ of 7: ix_users_email_trgm \(searching users’ emails/.test(p.message ?? ''))).toBe(true);
    expect(progress.some((p) => p.phase.startsWith('Building index') && / — building index/.test(p.message ?? ''))).toBe(true);

    expect(await declaredIndexes(raw)).toEqual(
      declared.map((index) => ({ name: index.name, valid: true })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    expect(await invalidIndexes(raw)).toEqual([]);
    expect(await recorded(raw)).toContain(indexMigration.name);
  });

  it('a second apply on the same connection while one runs is refused', async () => {
    await createMigrator(backend.defaultConnection.db.sequelize).down({ step: 1 });
    const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
    const second = await backend.dispatch('migrations.up', {});
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already being applied/) } });
    expect((await backend.services.jobs.finished(jobId)).state).toBe('succeeded');
    expect(await declaredIndexes(raw)).toHaveLength(declared.length);
  });
});

describe('a role that may not create pg_trgm', () => {
  const role = `no_create_${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('hex');
  let database: string;
  let backend: Backend;
  let events: AppEvent[];
  let raw: pg.Client;
  const needsTrgm = declared.filter((index) => index.extension === 'pg_trgm').map((index) => index.name);

  beforeAll(async () => {
    const server = serverConnection();
    ({ name: database } = await createTestDatabase());
    raw = await rawClient(database);
    // No CREATE on the database (a role never has it unless granted): it may not add an extension.
    // It may create tables in the public schema, as an application's role usually may.
    await raw.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await raw.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
    const url = `postgresql://${role}:${password}@${server.host}:${server.port}/${database}`;
    ({ backend, events } = await backendOn(url));
  });
  afterAll(async () => {
    await backend?.close();
    await raw?.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await raw?.end();
    const admin = new pg.Client({ ...serverConnection(), database: 'postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin.end();
  });

  it('skips the trigram indexes, says why up front, builds the others, and search still works', async () => {
    const status = await call<MigrationState>(backend, 'migrations.status');
    const plan = status.plans?.find((candidate) => candidate.name === indexMigration.name);
    expect(needsTrgm.length).toBeGreaterThan(0);
    for (const index of plan!.indexes) {
      if (needsTrgm.includes(index.name)) {
        expect(index.skipped).toMatch(
          /^pg_trgm is not installed and this role may not create it \(needs CREATE on the database\); searches still work/,
        );
      } else {
        expect(index.skipped).toBeNull();
      }
    }

    const state = await applyMigrations(backend);
    expect(state.pending).toEqual([]);
    // Nothing to build either: the skipped indexes cannot be built by this role.
    expect(state.missingIndexes).toBeUndefined();
    expect(state.plans).toBeUndefined();
    const built = await declaredIndexes(raw);
    expect(built.map((index) => index.name)).toEqual(
      declared
        .filter((index) => !needsTrgm.includes(index.name))
        .map((index) => index.name)
        .sort(),
    );
    expect(built.every((index) => index.valid)).toBe(true);
    const { rows } = await raw.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'");
    expect(rows).toEqual([]);

    await call(backend, 'users.create', { email: 'ann.lee@example.com', name: 'Ann Lee' });
    await call(backend, 'users.create', { email: 'bob@example.com', name: 'Bob' });
    const found = await call<UserListOutput>(backend, 'users.list', { search: 'lee' });
    expect(found.rows.map((row) => row.email)).toEqual(['ann.lee@example.com']);
    expect(found.searchNote).toMatch(/Ask an admin to run CREATE EXTENSION pg_trgm, then apply migrations\.$/);
  });

  it('once an admin adds pg_trgm, the skipped indexes are outstanding work, and applying builds them though nothing is pending', async () => {
    // As the search note tells them to.
    await raw.query('CREATE EXTENSION pg_trgm');

    const status = await call<MigrationState>(backend, 'migrations.status');
    expect(status.pending).toEqual([]);
    expect(status.applied).toContain(indexMigration.name);
    expect(status.missingIndexes).toEqual(needsTrgm);
    // Listed under the applied migration, priced like a pending one's, for the Apply dialog.
    expect(status.plans?.map((plan) => ({ name: plan.name, kind: plan.kind, indexes: plan.indexes.map((index) => index.name) }))).toEqual([
      { name: indexMigration.name, kind: 'missing-indexes', indexes: needsTrgm },
    ]);
    for (const index of status.plans![0]!.indexes) expect(index).toMatchObject({ concurrently: true, skipped: null, method: 'gin' });
    // The status bar's source says so too: the schema is not "up to date" while they are missing.
    expect((await call<AppInfo>(backend, 'app.info')).migrations).toMatchObject({ pending: [], missingIndexes: needsTrgm });

    const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
    const job = await backend.services.jobs.finished(jobId);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ state: 'succeeded', summary: `Built ${needsTrgm.length} missing indexes.` });
    const after = job.result as MigrationState;
    expect(after).toMatchObject({ pending: [] });
    expect(after.missingIndexes).toBeUndefined();
    expect(after.plans).toBeUndefined();
    // Throttled to ten a second, so at least the last build's progress is there, said as a missing index.
    expect(progressOf(events, jobId).some((p) => /^Missing index \d of 3: ix_\w+_trgm \(searching /.test(p.message ?? ''))).toBe(true);

    // Built CONCURRENTLY by the app's own role, every declared index now there and valid.
    expect(await declaredIndexes(raw)).toEqual(
      declared.map((index) => ({ name: index.name, valid: true })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    expect(await invalidIndexes(raw)).toEqual([]);
    expect(await builderSessions(raw)).toBe(0);
    // The search is fast now, and says nothing more (the apply forgot the cached index facts).
    const found = await call<UserListOutput>(backend, 'users.list', { search: 'lee' });
    expect(found.rows.map((row) => row.email)).toEqual(['ann.lee@example.com']);
    expect(found.searchNote).toBeNull();

    const again = await applyMigrations(backend);
    expect(again.missingIndexes).toBeUndefined();
    const last = backend.services.jobs.list().find((candidate) => candidate.kind === 'migrations.up');
    expect(last?.summary).toBe('Nothing to apply: the schema is up to date.');
  });
});

describe('cancel while an apply waits', () => {
  let backend: Backend;
  let events: AppEvent[];
  let raw: pg.Client;
  let other: pg.Client;

  beforeAll(async () => {
    const { name, url } = await createTestDatabase();
    ({ backend, events } = await backendOn(url));
    raw = await rawClient(name);
    other = await rawClient(name);
  });
  afterAll(async () => {
    await other?.end();
    await raw?.end();
    await backend?.close();
  });

  /** Starts migrations.up, waits until it says it waits for another migration, cancels it and answers the cancelled job and how long the cancel took. */
  async function cancelWhileWaiting(): Promise<{ job: Job; ms: number }> {
    const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
    await progressWhere(backend, events, jobId, (p) => p.phase === 'Waiting for another migration');
    const started = Date.now();
    const job = await call<Job>(backend, 'jobs.cancel', { id: jobId });
    return { job, ms: Date.now() - started };
  }

  for (const [lock, how] of [
    ['simple-db:migrations', 'a migration in its transaction'],
    ['simple-db:migrations:build', 'a CONCURRENTLY build'],
  ] as const) {
    it(`stops waiting for the migration lock held by another session (${how}) at once, and records nothing`, async () => {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      try {
        const { job, ms } = await cancelWhileWaiting();
        expect(job.state).toBe('cancelled');
        // Between tries, not after the other migrator is done (nor after the cancel's 10 s grace).
        expect(ms).toBeLessThan(2_000);
        expect(job.progress).toMatchObject({
          phase: 'Cancelled',
          message: 'Cancelled while waiting for another migration of this database to finish; what it was waiting to do was not started.',
        });
        const { rows } = await raw.query<{ history: boolean; users: boolean }>(
          `SELECT to_regclass('"SequelizeMeta"') IS NOT NULL AS history, to_regclass('users') IS NOT NULL AS users`,
        );
        expect(rows[0]!.users).toBe(false);
        if (rows[0]!.history) expect(await recorded(raw)).toEqual([]);
        // The builder's session (and the build lock it holds) did not outlive the job.
        expect(await builderSessions(raw)).toBe(0);
      } finally {
        await other.query('ROLLBACK');
      }
    });
  }

  it('stops dropping a half-built leftover that waits for a reader of its table, and records nothing; applied again, it finishes', async () => {
    await migrateUpToIndexes(backend);
    await raw.query("INSERT INTO users (id, email, name) VALUES (1, 'one@example.com', 'One')");
    // Division by zero at id 1 while filling it: PostgreSQL leaves it behind INVALID, as a cancelled build would.
    await expect(raw.query('CREATE INDEX CONCURRENTLY ix_users_name_id ON users ((1 / (id - 1)))')).rejects.toThrow(/division by zero/);
    expect(await invalidIndexes(raw)).toEqual(['ix_users_name_id']);
    // A long report: DROP INDEX CONCURRENTLY waits for every transaction that has used the table.
    await other.query('BEGIN');
    await other.query('SELECT count(*) FROM users');
    try {
      const { jobId } = await call<{ jobId: string }>(backend, 'migrations.up');
      await until(async () => {
        const { rows } = await raw.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE application_name = 'simple-db (migrations)' AND query LIKE 'DROP INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'`,
        );
        return rows.length > 0;
      }, 'the drop to wait for the reader');
      const started = Date.now();
      const job = await call<Job>(backend, 'jobs.cancel', { id: jobId });
      expect(job.state).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(job.progress).toMatchObject({
        phase: 'Cancelled',
        message: expect.stringMatching(/^Cancelled while dropping ix_users_name_id, a half-built index/),
      });
      expect(await recorded(raw)).not.toContain(indexMigration.name);
      expect(await builderSessions(raw)).toBe(0);
    } finally {
      await other.query('COMMIT');
    }

    const state = await applyMigrations(backend);
    expect(state.pending).toEqual([]);
    expect(await invalidIndexes(raw)).toEqual([]);
    const { rows } = await raw.query<{ def: string }>("SELECT pg_get_indexdef(to_regclass('ix_users_name_id')) AS def");
    expect(rows[0]!.def).toMatch(/USING btree \(name, id\)$/);
  });
});

describe('a failed build’s cleanup', () => {
  let backend: Backend;
  let database: string;

  beforeAll(async () => {
    const created = await createTestDatabase();
    database = created.name;
    ({ backend } = await backendOn(created.url));
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('a cleanup drop that cannot finish in time does not leave its lock_timeout on the builder’s session', async () => {
    const { db, target } = backend.defaultConnection;
    const raw = await rawClient(database);
    const other = await rawClient(database);
    await raw.query('CREATE TABLE cleanup_t AS SELECT g AS a FROM generate_series(0, 100) AS g');
    const index: IndexSpec = {
      name: 'ix_cleanup_t',
      table: 'cleanup_t',
      method: 'btree',
      columns: '((1 / (a - 1)))',
      sizedBy: ['a'],
      purpose: 'testing',
    };
    const session = await openBuilderSession(target, { lockName: 'simple-db:test:cleanup' });
    // A reader of the table: the drop after the failed build waits for it, until the cleanup's lock limit.
    await other.query('BEGIN');
    await other.query('SELECT count(*) FROM cleanup_t');
    try {
      await expect(buildIndexConcurrently(session, index, { sequelize: db.sequelize, target, onProgress: () => {} })).rejects.toThrow(
        /division by zero/,
      );
      // Left for the retry, which drops it before building again.
      expect(await invalidIndexes(raw)).toEqual(['ix_cleanup_t']);
      // The session's next build has no lock limit: the drop's was reset though the drop failed.
      expect(await session.query('SHOW lock_timeout')).toEqual([{ lock_timeout: '0' }]);
    } finally {
      await other.query('COMMIT');
      await session.close();
      await other.end();
      await raw.end();
    }
  });
});
