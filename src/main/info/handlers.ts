import type { FeatureHandlers } from '../api/context';
import { createMigrator, migrationState } from '../db/migrations';

export const infoHandlers: FeatureHandlers<'app.info'> = {
  'app.info': async (_input, { connection, services }) => {
    const { sequelize } = connection.db;
    const { kind, host, port, database, user } = connection.target;
    return {
      version: services.version,
      database: { id: connection.id, kind, host, port, name: database, user, serverVersion: await connection.serverVersion() },
      migrations: await migrationState(createMigrator(sequelize), sequelize),
    };
  },
};
