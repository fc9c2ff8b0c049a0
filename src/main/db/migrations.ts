import path from 'node:path';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { Umzug, type UmzugStorage } from 'umzug';
import type { IndexSpec, MigrationModule } from './migration-context';
import type { MigrationState } from '../../shared/contract';

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

async function lockMigrations(sequelize: Sequelize, transaction: Transaction): Promise<void> {
  await sequelize.query('SELECT pg_advisory_xact_lock(hashtext($1))', { bind: [LOCK_NAME], transaction });
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

/** Builds a migration's indexes inside its transaction (a server nobody else uses). */
async function buildIndexesInTransaction(sequelize: Sequelize, indexes: readonly IndexSpec[], transaction: Transaction): Promise<void> {
  const available = new Map<string, boolean>();
  for (const index of indexes) {
    if (index.extension) {
      if (!available.has(index.extension)) available.set(index.extension, await ensureExtension(sequelize, index.extension, transaction));
      if (!available.get(index.extension)) continue;
    }
    await sequelize.query(`CREATE INDEX IF NOT EXISTS ${index.name} ON ${index.table} USING ${index.method} ${index.columns}`, { transaction });
  }
}

async function isRecorded(sequelize: Sequelize, name: string, transaction: Transaction): Promise<boolean> {
  const rows = await sequelize.query(`SELECT 1 FROM "${MIGRATION_TABLE}" WHERE name = $1`, { bind: [name], type: QueryTypes.SELECT, transaction });
  return rows.length > 0;
}

/**
 * Umzug orders the migrations and works out what is pending; we run each one ourselves, in one
 * transaction with its history row and under an advisory lock. So a failing migration leaves
 * nothing behind, a crash cannot leave a change applied but unrecorded, and a second Simple DB
 * migrating at the same moment waits, then skips what the first one already did.
 */
export function createMigrator(sequelize: Sequelize, list: MigrationEntry[] = migrationList) {
  const step = (name: string, direction: 'up' | 'down', module: MigrationModule) => async () => {
    await sequelize.transaction(async (transaction) => {
      await lockMigrations(sequelize, transaction);
      if ((await isRecorded(sequelize, name, transaction)) !== (direction === 'down')) return; // done meanwhile
      await module[direction]({ query: (sql) => sequelize.query(sql, { transaction }) });
      if (direction === 'up' && module.indexes) await buildIndexesInTransaction(sequelize, module.indexes, transaction);
      await sequelize.query(
        direction === 'up' ? `INSERT INTO "${MIGRATION_TABLE}" (name) VALUES ($1)` : `DELETE FROM "${MIGRATION_TABLE}" WHERE name = $1`,
        { bind: [name], transaction },
      );
    });
  };

  const storage: UmzugStorage = {
    async executed() {
      await sequelize.transaction(async (transaction) => {
        await lockMigrations(sequelize, transaction);
        await sequelize.query(`CREATE TABLE IF NOT EXISTS "${MIGRATION_TABLE}" (name VARCHAR(255) NOT NULL PRIMARY KEY)`, { transaction });
      });
      const rows = await sequelize.query<{ name: string }>(`SELECT name FROM "${MIGRATION_TABLE}" ORDER BY name`, { type: QueryTypes.SELECT });
      return rows.map((row) => row.name);
    },
    // Recorded inside each migration's own transaction (above).
    async logMigration() {},
    async unlogMigration() {},
  };

  return new Umzug({
    migrations: list.map(({ name, module }) => ({ name, up: step(name, 'up', module), down: step(name, 'down', module) })),
    context: sequelize,
    storage,
    logger: undefined,
  });
}

export type Migrator = ReturnType<typeof createMigrator>;

/** Pending = every known migration not yet applied, in order. */
export function pendingAfter(applied: readonly string[], list: readonly MigrationEntry[] = migrationList): string[] {
  return list.map((migration) => migration.name).filter((name) => !applied.includes(name));
}

/**
 * Applied and pending migrations. Looking must not change anything: the storage would create its
 * table just to answer (and a read-only connection refuses even CREATE TABLE IF NOT EXISTS), so the
 * history table is read directly.
 */
export async function migrationState(migrator: Migrator, sequelize: Sequelize): Promise<MigrationState> {
  const [row] = await sequelize.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, {
    bind: [`"${MIGRATION_TABLE}"`],
    type: QueryTypes.SELECT,
  });
  const known = (await migrator.migrations(sequelize)).map((migration) => migration.name);
  if (!row?.exists) return { applied: [], pending: known };
  const rows = await sequelize.query<{ name: string }>(`SELECT name FROM "${MIGRATION_TABLE}" ORDER BY name`, { type: QueryTypes.SELECT });
  const applied = rows.map((applied) => applied.name);
  return { applied, pending: known.filter((name) => !applied.includes(name)) };
}
