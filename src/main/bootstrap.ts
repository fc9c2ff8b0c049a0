import { createDispatch, startConnectionJob, type Dispatch } from './api/dispatch';
import type { AppServices, DesktopAbilities } from './api/context';
import { BackupScheduler, type ScheduledRunner } from './backups/scheduler';
import { BackupService } from './backups/service';
import type { BackupEntry } from '../shared/contract/backups';
import { sizeText } from '../shared/size-text';
import { handlers } from './api/handlers';
import { AppError } from './errors/app-error';
import type { Connection } from './connections/connection';
import { openDatabaseUrlConnection, openEmbeddedConnection } from './connections/default-connection';
import { ProfileStore } from './connections/profile-store';
import { SecretVault, type SecretCipher } from './connections/secret-vault';
import { ConnectionsService } from './connections/service';
import { KnownHosts } from './connections/ssh/known-hosts';
import { ConnectionManager } from './connections/manager';
import { createMigrator } from './db/migrations';
import { EventBus } from './events/bus';
import { JobRegistry } from './jobs/registry';
import type { Logger } from './log/logger';
import { stopAllProcesses } from './process/runner';
import { SettingsStore } from './settings/store';
import { DownloadTickets } from './files/download-tickets';
import { TransferFiles } from './transfer/transfer-files';

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
  /** The desktop entry's abilities (reveal a file in its folder). */
  desktop?: DesktopAbilities;
  /** Run scheduled backups while the app is open (the CLI does not). */
  scheduleBackups?: boolean;
  /** The desktop's secret store (Electron safeStorage); absent in browser mode and the CLI: secrets stay in memory. */
  secretCipher?: SecretCipher;
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
  const settings = SettingsStore.inDataDir(options.dataDir, log);
  const backups = new BackupService(options.dataDir, settings, log);
  const openEmbedded = async () => {
    const connection = await openEmbeddedConnection(connections, options);
    try {
      // Our own server, used by nobody else: indexes are built inside each migration's transaction.
      if (options.migrateEmbedded !== false) await createMigrator(connection.db.sequelize, { concurrently: false, target: connection.target }).up();
    } catch (error) {
      await connections.close(connection.id);
      throw error;
    }
    return connection;
  };
  const connectionProfiles = new ConnectionsService({
    manager: connections,
    profiles: ProfileStore.inDataDir(options.dataDir, log),
    vault: SecretVault.inDataDir(options.dataDir, options.secretCipher ?? null, log),
    knownHosts: KnownHosts.inDataDir(options.dataDir),
    databaseUrl: options.databaseUrl,
    log,
    openEmbedded,
    runningJobs: (connectionId) =>
      jobs
        .list()
        .filter((job) => job.state === 'running' && job.connectionId === connectionId)
        .map((job) => job.title),
  });
  const services: AppServices = {
    version: options.version,
    connections,
    jobs,
    bus,
    log,
    dataDir: options.dataDir,
    backups,
    connectionProfiles,
    // Set just below: its runner starts jobs through these very services.
    scheduler: null as unknown as BackupScheduler,
    downloads: new DownloadTickets(),
    transfer: new TransferFiles(options.dataDir),
    ...(options.desktop ? { desktop: options.desktop } : {}),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  };
  // The connection the app starts on, once it is open (below).
  let startConnectionId = '';
  const scheduler = new BackupScheduler(
    settings,
    scheduledRunner(services, () => startConnectionId),
  );
  services.scheduler = scheduler;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      scheduler.stop();
      await jobs.cancelAll();
      // After the jobs: an import still reading an upload has stopped.
      await services.transfer.close();
      await connections.closeAll();
      await stopAllProcesses();
    })());

  let defaultConnection: Connection;
  try {
    defaultConnection = options.databaseUrl ? openDatabaseUrlConnection(connections, options.databaseUrl) : await openEmbedded();
  } catch (error) {
    await close();
    throw error;
  }
  startConnectionId = defaultConnection.id;
  if (options.scheduleBackups) await scheduler.start();
  return { dispatch: createDispatch(handlers, services), services, defaultConnection, close };
}

/**
 * How scheduled backups run: as jobs on the connection the app started on (never whichever one
 * happens to be open: a schedule must not wander to another server), retention among that
 * database's scheduled backups.
 */
export function scheduledRunner(services: AppServices, connectionId: () => string): ScheduledRunner {
  const { connections, jobs, backups, log } = services;
  const scheduled = () => {
    const id = connectionId();
    if (!connections.isOpen(id)) {
      throw new AppError('CONNECTION', 'The database the schedule backs up is not open (it was disconnected). Connect it again under Connections.');
    }
    return connections.get(id);
  };
  return {
    backup: () => {
      let connection: Connection;
      try {
        connection = scheduled();
      } catch (error) {
        // Recorded as a failed run with its reason, like any other failure.
        return { jobId: '', finished: Promise.reject(error instanceof Error ? error : new Error(String(error))) };
      }
      const { target } = connection;
      const { jobId } = startConnectionJob(services, connection, 'backups.create', `Scheduled backup of ${target.database}`, async (control) => {
        const entry = await backups.create(target, { kind: 'scheduled' }, control);
        return { summary: `${entry.name} (${sizeText(entry.size)}), verified`, result: entry };
      });
      const finished = jobs.finished(jobId).then((job) => {
        if (job.state !== 'succeeded') throw new Error(job.error?.message ?? `the backup was ${job.state}`);
        return job.result as BackupEntry;
      });
      return { jobId, finished };
    },
    scheduledBackups: async () => {
      const { target } = scheduled();
      return (await backups.list()).filter(
        (entry) =>
          entry.manifest?.kind === 'scheduled' &&
          entry.manifest.database === target.database &&
          entry.manifest.host === target.host &&
          entry.manifest.port === target.port,
      );
    },
    delete: async (name) => void (await backups.delete(name)),
    log,
  };
}
