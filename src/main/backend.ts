import { QueryTypes } from 'sequelize';
import type { AppInfo } from '../shared/contract';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch';
import type { ErrorContext } from './api/translate-error';
import { openDatabase, type Database } from './db/connect';
import { createMigrator, migrationState } from './db/migrations';
import { describeTarget, parseDatabaseUrl, type ConnectionTarget } from './db/target';
import { EMBEDDED_DATABASE, ensureDatabase } from './embedded/database';
import { EmbeddedServer } from './embedded/server';
import type { Logger } from './log/logger';
import { createUserService } from './users/service';

export interface BackendOptions {
  /** Simple DB's data directory (embedded cluster, credentials, logs). */
  dataDir: string;
  /** DATABASE_URL, when set, replaces the embedded server. */
  databaseUrl?: string | undefined;
  version: string;
  log: Logger;
  logFile?: string;
}

export interface Backend {
  dispatch: Dispatch;
  db: Database;
  target: ConnectionTarget;
  close(): Promise<void>;
}

/**
 * Everything behind the contract, with no knowledge of Electron or HTTP: picks the database
 * (DATABASE_URL, else the embedded server), opens the pool, migrates the embedded database, and
 * wires the services to the procedures. Both entry points call this.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { log } = options;
  let embedded: EmbeddedServer | null = null;
  let target: ConnectionTarget;
  if (options.databaseUrl) {
    target = parseDatabaseUrl(options.databaseUrl);
  } else {
    embedded = await EmbeddedServer.start({ dataDir: options.dataDir, log });
    try {
      await ensureDatabase(embedded.connection);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    target = { kind: 'embedded', ...embedded.connection, database: EMBEDDED_DATABASE };
  }

  const db = openDatabase(target, log);
  const migrator = createMigrator(db.sequelize);
  if (embedded) {
    // The embedded database is ours: keep it at the current schema. A database someone else runs
    // is never migrated silently; the app shows what is pending and asks (migrations.up).
    try {
      await migrator.up();
    } catch (error) {
      await db.close();
      await embedded.stop();
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
  const errorContext: ErrorContext = {
    where: describeTarget(target),
    user: target.user,
    ...(options.logFile ? { logFile: options.logFile } : {}),
  };
  const dispatch = createDispatch(handlers, () => errorContext, log);

  let closing: Promise<void> | null = null;
  return {
    dispatch,
    db,
    target,
    close: () =>
      (closing ??= (async () => {
        await db.close().catch((error: Error) => log(`closing the pool failed: ${error.message}`));
        await embedded?.stop();
      })()),
  };
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
