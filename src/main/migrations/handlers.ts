import type { FeatureHandlers, HandlerContext } from '../api/context';
import { createMigrator, migrationState } from '../db/migrations';
import { AppError } from '../errors/app-error';

/** The migration state with, for each applied migration, the backup taken just before it. */
async function stateWithBackups({ connection, services }: HandlerContext, migrator = createMigrator(connection.db.sequelize)) {
  const state = await migrationState(migrator, connection.db.sequelize);
  return { ...state, backupsBefore: await services.backups.backupsBeforeMigrations(connection.target, state.applied) };
}

export const migrationHandlers: FeatureHandlers<'migrations.status' | 'migrations.up' | 'migrations.down'> = {
  'migrations.status': async (_input, context) => stateWithBackups(context),
  'migrations.up': async (_input, context) => {
    const migrator = createMigrator(context.connection.db.sequelize);
    await migrator.up();
    return stateWithBackups(context, migrator);
  },
  'migrations.down': async ({ confirm }, context) => {
    const { database } = context.connection.target;
    if (confirm !== database) {
      throw new AppError('VALIDATION', `Type the database name, ${database}, to roll back its newest migration.`, { field: 'confirm' });
    }
    const migrator = createMigrator(context.connection.db.sequelize);
    const [newest] = (await migrator.executed()).reverse();
    if (!newest) throw new AppError('VALIDATION', `${database} has no applied migration to roll back.`, { field: 'confirm' });
    await migrator.down({ to: newest.name });
    context.services.log(`migration ${newest.name} rolled back on ${context.connection.address}`);
    return stateWithBackups(context, migrator);
  },
};
