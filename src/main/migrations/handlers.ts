import type { AppServices, FeatureHandlers } from '../api/context';
import type { Connection } from '../connections/connection';
import { checkMayMigrate, createMigrator } from '../db/migrations';
import { invalidate } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import { applyMigrations, migrationStateWithPlans } from './service';

/** The migration state (with index plans for pending ones) and, for each applied migration, the backup taken just before it. */
async function stateWithBackups(connection: Connection, services: AppServices) {
  const state = await migrationStateWithPlans(connection);
  return { ...state, backupsBefore: await services.backups.backupsBeforeMigrations(connection.target, state.applied) };
}

/** One apply at a time per connection: a second one would only wait for the first, then find nothing to do. */
function refuseWhileApplying(connection: Connection, services: AppServices, then: string): void {
  const running = services.jobs.list().some((job) => job.state === 'running' && job.kind === 'migrations.up' && job.connectionId === connection.id);
  if (running) {
    throw new AppError(
      'CONFLICT',
      `Migrations are already being applied to this database (see Jobs). Wait for that to finish, or cancel it, then ${then}.`,
    );
  }
}

export const migrationHandlers: FeatureHandlers<'migrations.status' | 'migrations.up' | 'migrations.down'> = {
  'migrations.status': async (_input, { connection, services }) => stateWithBackups(connection, services),
  'migrations.up': async (_input, context) => {
    const { connection, services } = context;
    // Asked before the job starts, so a read-only connection's refusal (the history table is made
    // sure of first) comes back as this call's answer, not as a failed job. It never waits for
    // another migrator: the job does, where a cancel reaches it.
    await checkMayMigrate(connection.db.sequelize);
    // Checked after the last await, so two calls at once cannot both pass it.
    refuseWhileApplying(connection, services, 'apply again');
    return context.startJob('migrations.up', 'Apply migrations', async (control) => {
      let outcome;
      try {
        outcome = await applyMigrations(connection, control);
      } finally {
        // Indexes (and tables) may have changed, even by an apply cut short: the lists read them afresh.
        invalidate(connection.db);
      }
      if (outcome.applied.length > 0 || outcome.indexes.some((index) => index.missing && index.outcome === 'built')) {
        services.log(`migrations applied on ${connection.address}: ${outcome.summary}`);
      }
      return { summary: outcome.summary, result: await stateWithBackups(connection, services) };
    });
  },
  'migrations.down': async ({ confirm }, { connection, services }) => {
    const { database } = connection.target;
    if (confirm !== database) {
      throw new AppError('VALIDATION', `Type the database name, ${database}, to roll back its newest migration.`, { field: 'confirm' });
    }
    // A rollback racing an index build on the same table would only deadlock with it.
    refuseWhileApplying(connection, services, 'roll back');
    const migrator = createMigrator(connection.db.sequelize);
    const [newest] = (await migrator.executed()).reverse();
    if (!newest) throw new AppError('VALIDATION', `${database} has no applied migration to roll back.`, { field: 'confirm' });
    try {
      await migrator.down({ to: newest.name });
    } finally {
      invalidate(connection.db);
    }
    services.log(`migration ${newest.name} rolled back on ${connection.address}`);
    return stateWithBackups(connection, services);
  },
};
