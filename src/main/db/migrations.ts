import path from 'node:path';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { Umzug, type UmzugStorage } from 'umzug';
import type { JobProgress, MigrationState } from '../../shared/contract';
import {
  abortError,
  buildIndexConcurrently,
  buildIndexInTransaction,
  buildProgress,
  cancelOnAbort,
  openBuilderSession,
  waitForLock,
  type BuilderSession,
  type IndexSession,
} from './index-build';
import { extensionStatus } from './index-plan';
import type { IndexSpec, MigrationContext, MigrationModule } from './migration-context';
import type { ConnectionTarget } from './target';

// Built into the bundle by vite, so the packaged app needs no TypeScript at run time; the CLI and
// the tests use this same list.
const modules = import.meta.glob<MigrationModule>('../../../migrations/*.ts', { eager: true });

export interface MigrationEntry {
  name: string;
  module: MigrationModule;
}

export const migrationList: MigrationEntry[] = Object.entries(modules)
  .map(([file, module]) => ({ name: path.basename(file, '.ts'), module }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The table sequelize-cli also uses, so either tool sees the other's history. */
const MIGRATION_TABLE = 'SequelizeMeta';
// One advisory lock for every Simple DB (and CLI) migrating this database at the same time.
const LOCK_NAME = 'simple-db:migrations';
// Held by the session that builds indexes CONCURRENTLY, for a whole `up`: a second migrator waits
// for it (trying, not blocking; see openBuilderSession) before it looks at what is pending.
const BUILD_LOCK_NAME = 'simple-db:migrations:build';

const WAITING: JobProgress = {
  phase: 'Waiting for another migration',
  done: 0,
  total: null,
  unit: 'steps',
  message: 'Another Simple DB (or npm run migrate) is migrating this database; this one goes on when it is done.',
};

async function tryLockMigrations(sequelize: Sequelize, transaction: Transaction): Promise<boolean> {
  const [row] = await sequelize.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', {
    bind: [LOCK_NAME],
    type: QueryTypes.SELECT,
    transaction,
  });
  return row?.locked ?? false;
}

/**
 * Takes the migration lock for `transaction`, waiting while another migrator holds it (a long
 * migration in its own transaction, on the embedded server). Tried every half second rather than
 * waited for on the server, so a cancel ends the wait at once (see waitForLock).
 */
async function lockMigrations(
  sequelize: Sequelize,
  transaction: Transaction,
  wait: { signal?: AbortSignal | undefined; onWaiting?: (() => void) | undefined } = {},
): Promise<void> {
  await waitForLock(() => tryLockMigrations(sequelize, transaction), wait);
}

async function createHistoryTable(sequelize: Sequelize, transaction: Transaction): Promise<void> {
  await sequelize.query(`CREATE TABLE IF NOT EXISTS "${MIGRATION_TABLE}" (name VARCHAR(255) NOT NULL PRIMARY KEY)`, { transaction });
}

/**
 * Asked before an apply is started, so that a read-only connection's refusal is that call's
 * answer rather than a failed job: the server refuses the history table's CREATE on a read-only
 * connection (or a standby) even when the table exists. It never waits: while another migrator
 * holds the lock, it is not asked, and the job waits for that one (where a cancel reaches it).
 */
export async function checkMayMigrate(sequelize: Sequelize): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    if (await tryLockMigrations(sequelize, transaction)) await createHistoryTable(sequelize, transaction);
  });
}

/** The applied migrations' names, read without a lock and without creating anything (none when there is no history table). */
async function appliedNames(sequelize: Sequelize, transaction?: Transaction): Promise<string[]> {
  const options = { type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) } as const;
  const [row] = await sequelize.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, {
    ...options,
    bind: [`"${MIGRATION_TABLE}"`],
  });
  if (!row?.exists) return [];
  const rows = await sequelize.query<{ name: string }>(`SELECT name FROM "${MIGRATION_TABLE}" ORDER BY name`, options);
  return rows.map((applied) => applied.name);
}

/**
 * Makes sure `extension` exists, creating it when the role may (pg_trgm is trusted: any role that
 * may create in the database may). A refusal is not a failure: the indexes needing it are skipped.
 * Runs in a savepoint, so a refusal leaves the migration's transaction usable.
 */
export async function ensureExtension(sequelize: Sequelize, extension: string, transaction: Transaction): Promise<boolean> {
  const [present] = await sequelize.query('SELECT 1 FROM pg_extension WHERE extname = $1', {
    bind: [extension],
    type: QueryTypes.SELECT,
    transaction,
  });
  if (present) return true;
  await sequelize.query('SAVEPOINT simple_db_extension', { transaction });
  try {
    await sequelize.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`, { transaction });
    await sequelize.query('RELEASE SAVEPOINT simple_db_extension', { transaction });
    return true;
  } catch {
    await sequelize.query('ROLLBACK TO SAVEPOINT simple_db_extension', { transaction });
    return false;
  }
}

async function isRecorded(sequelize: Sequelize, name: string, transaction: Transaction): Promise<boolean> {
  const rows = await sequelize.query(`SELECT 1 FROM "${MIGRATION_TABLE}" WHERE name = $1`, { bind: [name], type: QueryTypes.SELECT, transaction });
  return rows.length > 0;
}

async function record(sequelize: Sequelize, name: string, direction: 'up' | 'down', transaction: Transaction): Promise<void> {
  await sequelize.query(
    direction === 'up' ? `INSERT INTO "${MIGRATION_TABLE}" (name) VALUES ($1)` : `DELETE FROM "${MIGRATION_TABLE}" WHERE name = $1`,
    { bind: [name], transaction },
  );
}

/** What became of one declared index during an `up`. */
export interface IndexOutcome {
  migration: string;
  index: IndexSpec;
  /** built now; kept: already there and valid (a retry); skipped: its extension is missing (see reason). */
  outcome: 'built' | 'kept' | 'skipped';
  reason?: string;
  /** An index of a migration applied before, found missing and built afterwards (see buildMissingIndexes). */
  missing?: boolean;
}

/** A declared index of an applied migration that is not there (or is INVALID) and could be built now. */
export interface MissingIndex {
  migration: string;
  index: IndexSpec;
}

/**
 * The declared indexes of `applied` migrations that are not there or INVALID, on a table that is
 * there, and that could be built now: their extension is installed or this role may create it. An
 * index skipped because pg_trgm was missing becomes one of these once an admin adds pg_trgm; one
 * whose extension still cannot be had is not (nothing could build it). Only reads.
 */
export async function findMissingIndexes(
  sequelize: Sequelize,
  applied: readonly string[],
  list: readonly MigrationEntry[] = migrationList,
  transaction?: Transaction,
): Promise<MissingIndex[]> {
  const done = list.filter((migration) => applied.includes(migration.name));
  const retired = new Set(done.flatMap((migration) => migration.module.retires ?? []));
  const declared = done.flatMap(({ name, module }) =>
    (module.indexes ?? []).filter((index) => !retired.has(index.name)).map((index) => ({ migration: name, index })),
  );
  if (declared.length === 0) return [];
  const rows = await sequelize.query<{ name: string }>(
    `SELECT d.name FROM unnest($1::text[], $2::text[]) AS d(name, tbl)
       LEFT JOIN pg_index i ON i.indexrelid = to_regclass(d.name)
      WHERE to_regclass(d.tbl) IS NOT NULL AND NOT coalesce(i.indisvalid, false)`,
    {
      bind: [declared.map(({ index }) => index.name), declared.map(({ index }) => index.table)],
      type: QueryTypes.SELECT,
      ...(transaction ? { transaction } : {}),
    },
  );
  const absent = new Set(rows.map((row) => row.name));
  const usable = new Map<string, boolean>();
  for (const extension of new Set(declared.flatMap(({ index }) => (absent.has(index.name) && index.extension ? [index.extension] : [])))) {
    usable.set(extension, (await extensionStatus(sequelize, extension, transaction)).usable);
  }
  return declared.filter(({ index }) => absent.has(index.name) && (!index.extension || usable.get(index.extension)));
}

export interface MigratorOptions {
  /** The migrations to run (tests give their own); default: the bundled list. */
  list?: MigrationEntry[];
  /**
   * Build declared indexes with CREATE INDEX CONCURRENTLY after each migration's transaction, so a
   * live table keeps serving: any server but the embedded one Simple DB runs itself.
   */
  concurrently: boolean;
  /** The pool's target: the builder's own connection, and a cancel's, go there. Required when `concurrently`. */
  target?: ConnectionTarget;
  /** Stops the migration under way (its statement on the server too, when `target` is given). */
  signal?: AbortSignal;
  progress?: (progress: JobProgress) => void;
  onIndex?: (outcome: IndexOutcome) => void;
}

/**
 * Umzug orders the migrations and works out what is pending; we run each one ourselves, under an
 * advisory lock, so a second Simple DB migrating at the same moment waits, then skips what the
 * first one already did.
 *
 * - In one transaction with its history row (the embedded server, and any migration without
 *   declared indexes): a failing migration leaves nothing behind, and a crash cannot leave a
 *   change applied but unrecorded. Its indexes are built in that transaction too.
 * - With `concurrently`, a migration that declares indexes commits its `up` (and extensions)
 *   first, builds each index CONCURRENTLY outside any transaction, and only then records itself in
 *   a short transaction of its own. A cancel or failure in between leaves it unrecorded, so the
 *   next `up` runs it again (see MigrationModule.up) and finishes the indexes.
 * - `buildMissingIndexes`, run after `up`, builds applied migrations' declared indexes that are
 *   missing and can be built now (see findMissingIndexes), by the same rule.
 *
 * Every lock is tried rather than waited for on the server, so a cancel ends a wait for another
 * migrator at once.
 */
export function createMigrator(sequelize: Sequelize, options: MigratorOptions = { concurrently: false }) {
  const { list = migrationList, concurrently, target, signal } = options;
  if (concurrently && !target) throw new Error('createMigrator: building CONCURRENTLY needs the connection target');
  const report = options.progress ?? (() => undefined);
  const tell = options.onIndex ?? (() => undefined);
  // Per `up` command: the builder's session (CONCURRENTLY) and the migrations this run applies.
  const run: { builder: BuilderSession | null; pending: string[] } = { builder: null, pending: [] };

  const stepProgress = (name: string) => {
    const position = Math.max(0, run.pending.indexOf(name));
    const total = Math.max(run.pending.length, position + 1);
    report({ phase: 'Applying migrations', done: position, total, unit: 'steps', message: `Migration ${position + 1} of ${total}: ${name}` });
  };

  /** The indexes whose extension is there (or was just created), in the migration's transaction; the rest are skipped. */
  const usableIndexes = async (name: string, indexes: readonly IndexSpec[], transaction: Transaction, missing = false): Promise<IndexSpec[]> => {
    const usable = new Map<string, string | null>();
    for (const extension of new Set(indexes.flatMap((index) => (index.extension ? [index.extension] : [])))) {
      const ok = await ensureExtension(sequelize, extension, transaction);
      usable.set(extension, ok ? null : ((await extensionStatus(sequelize, extension, transaction)).reason ?? `${extension} could not be created`));
    }
    return indexes.filter((index) => {
      const reason = index.extension ? usable.get(index.extension) : null;
      if (reason) tell({ migration: name, index, outcome: 'skipped', reason, ...(missing ? { missing } : {}) });
      return !reason;
    });
  };

  const indexLabel = (index: IndexSpec, position: number, count: number, missing = false) =>
    `${missing ? 'Missing index' : 'Index'} ${position + 1} of ${count}: ${index.name} (${index.purpose})`;

  const openBuilder = () => openBuilderSession(target!, { lockName: BUILD_LOCK_NAME, signal, onWaiting: () => report(WAITING) });

  /** The migration's own transaction: its statements see the abort (a running one is cancelled on the server when the target is known). */
  const inTransaction = <T>(work: (transaction: Transaction, session: IndexSession) => Promise<T>): Promise<T> =>
    sequelize.transaction(async (transaction) => {
      signal?.throwIfAborted();
      await lockMigrations(sequelize, transaction, { signal, onWaiting: () => report(WAITING) });
      // A migration may rewrite or index a big table: the pool's statement limit is for screens.
      await sequelize.query('SET LOCAL statement_timeout = 0', { transaction });
      const [backend] = await sequelize.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', { type: QueryTypes.SELECT, transaction });
      const session: IndexSession = {
        pid: backend!.pid,
        query: async <R extends object>(sql: string, bind: unknown[] = []) => {
          signal?.throwIfAborted();
          return sequelize.query<R>(sql, { ...(bind.length ? { bind } : {}), type: QueryTypes.SELECT, transaction });
        },
      };
      const cancel = signal && target ? cancelOnAbort(signal, target, session.pid) : null;
      try {
        return await work(transaction, session);
      } catch (error) {
        // A cancelled statement fails with the server's words; an abort that says more is kept.
        if (signal?.aborted) throw (error as { name?: string } | null)?.name === 'AbortError' ? error : abortError();
        throw error;
      } finally {
        // Settled before the transaction ends, so a cancel can never hit its ROLLBACK or COMMIT.
        await cancel?.settle();
      }
    });

  const context = (transaction: Transaction): MigrationContext => ({
    query: (sql) => {
      signal?.throwIfAborted();
      return sequelize.query(sql, { transaction });
    },
  });

  const up = (name: string, module: MigrationModule) => async () => {
    signal?.throwIfAborted();
    stepProgress(name);
    const indexes = module.indexes ?? [];
    if (!concurrently || indexes.length === 0) {
      await inTransaction(async (transaction, session) => {
        if (await isRecorded(sequelize, name, transaction)) return; // done meanwhile
        await module.up(context(transaction));
        const usable = await usableIndexes(name, indexes, transaction);
        for (const [position, index] of usable.entries()) {
          const label = indexLabel(index, position, usable.length);
          const outcome = await buildIndexInTransaction(session, index, { sequelize, onProgress: (row) => report(buildProgress(label, row)) });
          tell({ migration: name, index, outcome });
        }
        await record(sequelize, name, 'up', transaction);
      });
      return;
    }

    const usable = await inTransaction(async (transaction) => {
      if (await isRecorded(sequelize, name, transaction)) return null; // done meanwhile
      await module.up(context(transaction));
      return usableIndexes(name, indexes, transaction);
    });
    if (!usable) return;
    const builder = run.builder;
    if (!builder) throw new Error('createMigrator: the builder session is opened at the start of up');
    for (const [position, index] of usable.entries()) {
      signal?.throwIfAborted();
      const label = indexLabel(index, position, usable.length);
      const outcome = await buildIndexConcurrently(builder, index, {
        sequelize,
        target: target!,
        signal,
        onProgress: (row) => report(buildProgress(label, row)),
      });
      tell({ migration: name, index, outcome });
    }
    // Recorded only now that every index is there; another migrator cannot have run it meanwhile
    // (it waits for the build lock), but the check costs nothing and keeps the rule of one row.
    await inTransaction(async (transaction) => {
      if (!(await isRecorded(sequelize, name, transaction))) await record(sequelize, name, 'up', transaction);
    });
  };

  // `down` stays in one transaction everywhere: the migration's down drops its indexes there.
  const down = (name: string, module: MigrationModule) => async () => {
    await inTransaction(async (transaction) => {
      if (!(await isRecorded(sequelize, name, transaction))) return; // done meanwhile
      await module.down(context(transaction));
      await record(sequelize, name, 'down', transaction);
    });
  };

  const readApplied = async (): Promise<string[]> => {
    await sequelize.transaction(async (transaction) => {
      await lockMigrations(sequelize, transaction, { signal, onWaiting: () => report(WAITING) });
      await createHistoryTable(sequelize, transaction);
    });
    const rows = await sequelize.query<{ name: string }>(`SELECT name FROM "${MIGRATION_TABLE}" ORDER BY name`, { type: QueryTypes.SELECT });
    return rows.map((row) => row.name);
  };

  /**
   * Under the lock (the migration lock, or the build lock too when building CONCURRENTLY): the
   * missing indexes as they are now (another migrator may have built them meanwhile), each
   * migration's extensions created where they may be, the rest said skipped.
   */
  const usableMissing = async (transaction: Transaction): Promise<MissingIndex[]> => {
    const found = await findMissingIndexes(sequelize, await appliedNames(sequelize, transaction), list, transaction);
    const usable: MissingIndex[] = [];
    for (const migration of new Set(found.map((missing) => missing.migration))) {
      const indexes = found.filter((missing) => missing.migration === migration).map((missing) => missing.index);
      for (const index of await usableIndexes(migration, indexes, transaction, true)) usable.push({ migration, index });
    }
    return usable;
  };

  /**
   * Builds the declared indexes of applied migrations that are missing (see findMissingIndexes):
   * skipped when their migration ran because pg_trgm was not there, and buildable since an admin
   * added it; or dropped by hand. By the same rule as a migration's own indexes: CONCURRENTLY, or
   * all in one transaction on the embedded server. Run after `up`; the outcomes say what was done.
   */
  const buildMissingIndexes = async (): Promise<IndexOutcome[]> => {
    signal?.throwIfAborted();
    const outcomes: IndexOutcome[] = [];
    const done = (outcome: IndexOutcome) => {
      outcomes.push(outcome);
      tell(outcome);
    };
    // A first look without any lock: almost always nothing is missing, and nothing has to wait.
    if ((await findMissingIndexes(sequelize, await appliedNames(sequelize), list)).length === 0) return outcomes;
    const starting = (count: number) =>
      report({ phase: 'Building missing indexes', done: 0, total: count, unit: 'steps', message: `${count} indexes of applied migrations to build` });

    if (!concurrently) {
      await inTransaction(async (transaction, session) => {
        const missing = await usableMissing(transaction);
        if (missing.length > 0) starting(missing.length);
        for (const [position, { migration, index }] of missing.entries()) {
          const label = indexLabel(index, position, missing.length, true);
          const outcome = await buildIndexInTransaction(session, index, { sequelize, onProgress: (row) => report(buildProgress(label, row)) });
          done({ migration, index, outcome, missing: true });
        }
      });
      return outcomes;
    }

    const builder = await openBuilder();
    try {
      const missing = await inTransaction((transaction) => usableMissing(transaction));
      if (missing.length > 0) starting(missing.length);
      for (const [position, { migration, index }] of missing.entries()) {
        signal?.throwIfAborted();
        const label = indexLabel(index, position, missing.length, true);
        const outcome = await buildIndexConcurrently(builder, index, {
          sequelize,
          target: target!,
          signal,
          onProgress: (row) => report(buildProgress(label, row)),
        });
        done({ migration, index, outcome, missing: true });
      }
    } finally {
      await builder.close();
    }
    return outcomes;
  };

  const storage: UmzugStorage = {
    executed: readApplied,
    // Recorded inside each migration's own transaction (above).
    async logMigration() {},
    async unlogMigration() {},
  };

  const umzug = new Umzug({
    migrations: list.map(({ name, module }) => ({ name, up: up(name, module), down: down(name, module) })),
    context: sequelize,
    storage,
    logger: undefined,
  });

  umzug.on('beforeCommand', async ({ command }) => {
    if (command !== 'up') return;
    if (concurrently) run.builder = await openBuilder();
    try {
      run.pending = pendingAfter(await readApplied(), list);
    } catch (error) {
      // Umzug runs afterCommand only once beforeCommand has succeeded: without this, a cancel
      // while waiting here would leave the builder's session open, holding the build lock.
      await run.builder?.close();
      run.builder = null;
      throw error;
    }
  });
  umzug.on('afterCommand', async ({ command }) => {
    if (command !== 'up') return;
    await run.builder?.close();
    run.builder = null;
  });

  return Object.assign(umzug, {
    /** The migrations it knows, with their modules (their declared indexes). */
    list,
    buildMissingIndexes,
  });
}

export type Migrator = ReturnType<typeof createMigrator>;

/** Pending = every known migration not yet applied, in order. */
export function pendingAfter(applied: readonly string[], list: readonly MigrationEntry[] = migrationList): string[] {
  return list.map((migration) => migration.name).filter((name) => !applied.includes(name));
}

/**
 * Applied and pending migrations, and the applied ones' indexes still to build (`missing`, whose
 * names the state lists as `missingIndexes`). Looking must not change anything: the storage would
 * create its table just to answer (and a read-only connection refuses even CREATE TABLE IF NOT
 * EXISTS), so the history table is read directly.
 */
export async function readMigrationState(migrator: Migrator, sequelize: Sequelize): Promise<{ state: MigrationState; missing: MissingIndex[] }> {
  const known = (await migrator.migrations(sequelize)).map((migration) => migration.name);
  const applied = await appliedNames(sequelize);
  const missing = await findMissingIndexes(sequelize, applied, migrator.list);
  const rollbackEffects = Object.fromEntries(
    migrator.list.flatMap(({ name, module }) => (applied.includes(name) && module.rollback ? [[name, module.rollback]] : [])),
  );
  const state: MigrationState = { applied, pending: known.filter((name) => !applied.includes(name)) };
  if (Object.keys(rollbackEffects).length > 0) state.rollbackEffects = rollbackEffects;
  return { state: missing.length > 0 ? { ...state, missingIndexes: missing.map(({ index }) => index.name) } : state, missing };
}

export async function migrationState(migrator: Migrator, sequelize: Sequelize): Promise<MigrationState> {
  return (await readMigrationState(migrator, sequelize)).state;
}
