import type { FeatureHandlers } from '../api/context';
import { targetLabel } from '../db/target';
import { createMigrator, migrationState } from '../db/migrations';

export const infoHandlers: FeatureHandlers<'app.info'> = {
  'app.info': async (_input, { connection, services }) => {
    const { sequelize } = connection.db;
    const { target } = connection;
    return {
      version: services.version,
      database: {
        id: connection.id,
        kind: target.kind,
        label: targetLabel(target),
        color: target.color ?? 'none',
        readOnly: target.readOnly ?? false,
        host: target.host,
        port: target.port,
        name: target.database,
        user: target.user,
        serverVersion: await connection.serverVersion(),
        collation: await connection.collation(),
      },
      migrations: await migrationState(createMigrator(sequelize), sequelize),
    };
  },
};
