import path from 'node:path';
import type { Sequelize } from 'sequelize';
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
    storage: new SequelizeStorage({ sequelize }),
    logger: undefined,
  });
}

export type Migrator = ReturnType<typeof createMigrator>;

export async function migrationState(migrator: Migrator): Promise<MigrationState> {
  const [applied, pending] = await Promise.all([migrator.executed(), migrator.pending()]);
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}
