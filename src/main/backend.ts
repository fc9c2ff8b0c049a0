import { QueryTypes } from 'sequelize';
import type { AppInfo } from '../shared/contract';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch';
import type { ErrorContext } from './api/translate-error';
import type { Database } from './db/connect';
import { createMigrator, migrationState } from './db/migrations';
import { describeTarget, type ConnectionTarget } from './db/target';
import { openSession, type SessionOptions } from './session';
import { createUserService } from './users/service';

export interface BackendOptions extends SessionOptions {
  version: string;
  logFile?: string;
}

export interface Backend {
  dispatch: Dispatch;
  db: Database;
  target: ConnectionTarget;
  close(): Promise<void>;
}

/**
 * Everything behind the contract, with no knowledge of Electron or HTTP: opens the session (the
 * chosen database), migrates the embedded database, and wires the services to the procedures.
 * Both entry points call this.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const session = await openSession(options);
  const { db, target, embedded } = session;
  const migrator = createMigrator(db.sequelize);
  if (embedded) {
    // The embedded database is ours: keep it at the current schema. A database someone else runs
    // is never migrated silently; the app shows what is pending and asks (migrations.up).
    try {
      await migrator.up();
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  const users = createUserService(db);
  const handlers: Handlers = {
    'app.info': async () => appInfo(db, options.version, await migrationState(migrator, db.sequelize)),
    'migrations.status': () => migrationState(migrator, db.sequelize),
    'migrations.up': async () => {
      await migrator.up();
      return migrationState(migrator, db.sequelize);
    },
    'users.list': (input) => users.list(input),
    'users.get': (input) => users.get(input),
    'users.create': (input) => users.create(input),
    'users.update': (input) => users.update(input),
    'users.delete': (input) => users.remove(input.id),
  };
  const errorContext = (): ErrorContext => ({
    where: describeTarget(target),
    user: target.user,
    kind: target.kind,
    embeddedStopped: embedded ? !embedded.running : false,
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
  return { dispatch: createDispatch(handlers, errorContext, options.log), db, target, close: session.close };
}

async function appInfo(db: Database, version: string, migrations: AppInfo['migrations']): Promise<AppInfo> {
  const [row] = await db.sequelize.query<{ server_version: string }>('SHOW server_version', { type: QueryTypes.SELECT });
  const { kind, host, port, database, user } = db.target;
  return {
    version,
    database: { kind, host, port, name: database, user, serverVersion: row?.server_version ?? 'unknown' },
    migrations,
  };
}
