import type { FeatureHandlers } from '../api/context';
import { createMigrator, migrationState } from '../db/migrations';

export const migrationHandlers: FeatureHandlers<'migrations.status' | 'migrations.up'> = {
  'migrations.status': async (_input, { connection }) => migrationState(createMigrator(connection.db.sequelize), connection.db.sequelize),
  'migrations.up': async (_input, { connection }) => {
    const { sequelize } = connection.db;
    const migrator = createMigrator(sequelize);
    await migrator.up();
    return migrationState(migrator, sequelize);
  },
};
