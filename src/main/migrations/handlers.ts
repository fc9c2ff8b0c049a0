import type { FeatureHandlers, HandlerContext } from '../api/context';
import { createMigrator, migrationState } from '../db/migrations';

/** The migration state with, for each applied migration, the backup taken just before it. */
async function stateWithBackups({ connection, services }: HandlerContext, migrator = createMigrator(connection.db.sequelize)) {
  const state = await migrationState(migrator, connection.db.sequelize);
  return { ...state, backupsBefore: await services.backups.backupsBeforeMigrations(connection.target, state.applied) };
}

export const migrationHandlers: FeatureHandlers<'migrations.status' | 'migrations.up'> = {
  'migrations.status': async (_input, context) => stateWithBackups(context),
  'migrations.up': async (_input, context) => {
    const migrator = createMigrator(context.connection.db.sequelize);
    await migrator.up();
    return stateWithBackups(context, migrator);
  },
};
