import { createDispatch, type Dispatch } from './api/dispatch';
import type { AppServices } from './api/context';
import { handlers } from './api/handlers';
import type { Connection } from './connections/connection';
import { openDefaultConnection } from './connections/default-connection';
import { ConnectionManager } from './connections/manager';
import { createMigrator } from './db/migrations';
import { EventBus } from './events/bus';
import { JobRegistry } from './jobs/registry';
import type { Logger } from './log/logger';
import { stopAllProcesses } from './process/runner';

export interface AppOptions {
  /** Simple DB's data directory (embedded cluster, credentials, logs). */
  dataDir: string;
  /** DATABASE_URL, when set, replaces the embedded server. */
  databaseUrl?: string | undefined;
  version: string;
  log: Logger;
  logFile?: string;
  /**
   * Bring the embedded database to the current schema at start (the app). The migrate CLI says
   * no: it does what it is told. A database someone else runs is never migrated silently.
   */
  migrateEmbedded?: boolean;
}

export interface App {
  dispatch: Dispatch;
  services: AppServices;
  /** The connection the app started on. */
  defaultConnection: Connection;
  /** Cancels running jobs, closes every pool, stops the embedded server and any child process. Once. */
  close(): Promise<void>;
}

/**
 * Everything behind the contract, with no knowledge of Electron or HTTP: the event bus, jobs,
 * the connection manager with the default connection, and the dispatch over every feature's
 * handlers. The desktop entry, browser mode and the CLI all start here.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { log } = options;
  const bus = new EventBus(log);
  const connections = new ConnectionManager(bus, log);
  const jobs = new JobRegistry(bus, log);
  const services: AppServices = { version: options.version, connections, jobs, bus, log, ...(options.logFile ? { logFile: options.logFile } : {}) };
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await jobs.cancelAll();
      await connections.closeAll();
      await stopAllProcesses();
    })());

  const defaultConnection = await openDefaultConnection(connections, options);
  try {
    if (defaultConnection.embedded && options.migrateEmbedded !== false) await createMigrator(defaultConnection.db.sequelize).up();
  } catch (error) {
    await close();
    throw error;
  }
  return { dispatch: createDispatch(handlers, services), services, defaultConnection, close };
}
