import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { MigrationModule } from './migration-context';
import type { MigrationState } from '../../shared/contract';

// Built into the bundle by vite, so the packaged app needs no TypeScript at run time; the CLI and
// the tests use this same list.
const modules = import.meta.glob<MigrationModule>('../../../migrations/*.ts', { eager: true });

export const migrationList = Object.entries(modules)
  .map(([file, module]) => ({ name: path.basename(file, '.ts'), module }))
  .sort((a, b) => a.name.localeCompare(b.name));

export function createMigrator(sequelize: Sequelize) {
  const inTransaction = (run: MigrationModule['up']) => () =>
    sequelize.transaction(async (transaction) => {
      await run({ query: (sql) => sequelize.query(sql, { transaction }) });
    });
  return new Umzug({
    migrations: migrationList.map(({ name, module }) => ({
      name,
      up: inTransaction(module.up),
      down: inTransaction(module.down),
    })),
    context: sequelize,
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATION_TABLE }),
    logger: undefined,
  });
}

export type Migrator = ReturnType<typeof createMigrator>;

export const MIGRATION_TABLE = 'SequelizeMeta';

/**
 * Applied and pending migrations. Looking must not change anything: on a database that has never
 * been migrated, Umzug's storage would create its table just to answer, so we check first.
 */
export async function migrationState(migrator: Migrator, sequelize: Sequelize): Promise<MigrationState> {
  const [row] = await sequelize.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, {
    bind: [`"${MIGRATION_TABLE}"`],
    type: QueryTypes.SELECT,
  });
  if (!row?.exists) return { applied: [], pending: migrationList.map((m) => m.name) };
  // One after the other: both calls make sure the storage table exists, which races in parallel.
  const applied = await migrator.executed();
  const pending = await migrator.pending();
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}
