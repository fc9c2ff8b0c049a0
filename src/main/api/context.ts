import type { AppEvent, JobStarted, ProcedureName, ProcedureOutput, ProcedureParsedInput } from '../../shared/contract';
import type { Connection } from '../connections/connection';
import type { ConnectionManager } from '../connections/manager';
import type { ConnectionsService } from '../connections/service';
import type { EventBus } from '../events/bus';
import type { JobRegistry, JobRun } from '../jobs/registry';
import type { BackupScheduler } from '../backups/scheduler';
import type { BackupService } from '../backups/service';
import type { Logger } from '../log/logger';
import type { DownloadTickets } from '../files/download-tickets';
import type { TransferFiles } from '../transfer/transfer-files';

/** What lives as long as the app: handed to every handler through its context. */
export interface AppServices {
  version: string;
  connections: ConnectionManager;
  jobs: JobRegistry;
  bus: EventBus;
  log: Logger;
  logFile?: string;
  /** Simple DB's data directory (settings, default backups folder). */
  dataDir: string;
  backups: BackupService;
  /** The connection list: embedded, DATABASE_URL, saved profiles; opening, testing, secrets, host keys. */
  connectionProfiles: ConnectionsService;
  scheduler: BackupScheduler;
  /** Browser mode's one-time download addresses, for every feature's files (backups, exports, reports). */
  downloads: DownloadTickets;
  /** CSV transfer: the file handles the window names instead of paths, and each transfer job's files. */
  transfer: TransferFiles;
  /** What only the desktop app can do; absent in browser mode and the CLI. */
  desktop?: DesktopAbilities;
}

export interface DesktopAbilities {
  /** Shows the file in the system's file manager. */
  revealFile(file: string): void;
  /** The save dialog for a CSV file: the chosen path, or null when the admin cancelled. */
  chooseSaveFile(suggestedName: string): Promise<string | null>;
  /** The open dialog for a CSV file: the chosen path, or null when the admin cancelled. */
  chooseOpenFile(): Promise<string | null>;
}

/** Everything a handler may use. It never learns which transport called it. */
export interface HandlerContext {
  /** The caller's connection (its window's). Reading it fails with CONNECTION when it is closed or lost. */
  readonly connection: Connection;
  /** The id the caller named, if any (connections.* handlers work on others too). */
  readonly connectionId: string | undefined;
  /** Aborted when the caller goes away (an HTTP request closed before its answer). */
  signal: AbortSignal;
  emit(event: AppEvent): void;
  /** Starts long work on the caller's connection; answers `{ jobId }` at once. */
  startJob(kind: string, title: string, run: JobRun): JobStarted;
  services: AppServices;
}

export type Handler<P extends ProcedureName> = (input: ProcedureParsedInput<P>, context: HandlerContext) => Promise<ProcedureOutput<P>>;

/** A feature's handlers: exactly the procedures it names, each typed from the contract. */
export type FeatureHandlers<P extends ProcedureName> = { [K in P]: Handler<K> };

export type HandlerMap = FeatureHandlers<ProcedureName>;
