import fs from 'node:fs/promises';
import path from 'node:path';
import {
  backupOptionsSchema,
  type BackupEntry,
  type BackupManifest,
  type BackupOptions,
  type BackupOptionsInput,
  type Preflight,
  type RestoreResult,
  type Verification,
} from '../../shared/contract/backups';
import { refuseReadOnly } from '../db/read-only';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import type { JobControl } from '../jobs/registry';
import type { SettingsStore } from '../settings/store';
import { planBackup, runBackup, type BackupPlan } from './backup';
import { deleteBackup, describeBackupAt, findBackup, listBackups, verifyBackup } from './history';
import { preflightRestore, runRestore } from './restore';
import { Toolbox } from './toolbox';

export interface RestoreRequest {
  name: string;
  /** Where the file is, when not in the backups folder (the command line). */
  folder?: string;
  target: { mode: 'replace' } | { mode: 'new'; database: string };
  noOwner: boolean;
  noPrivileges: boolean;
}

/**
 * Creates a folder and its missing parents one level at a time (Node's recursive mkdir can spin
 * for ever under /proc), saying plainly when a part of the path is a file.
 */
async function makeFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    const stat = await fs.stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (stat) {
      if (!stat.isDirectory()) {
        throw new AppError('VALIDATION', `${current} is a file, not a folder. Choose a folder for the backups.`, { field: 'folder' });
      }
      break;
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const part of missing) await fs.mkdir(part, { mode: 0o700 });
}

/**
 * Backups and restores of a connection's database, knowing nothing of Electron or HTTP: the
 * folder and remembered options (settings), the tools, the history, and the work itself.
 */
export class BackupService {
  readonly toolbox: Toolbox;
  /** Databases being restored right now: a second restore (or a backup) of one waits its turn. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly dataDir: string,
    readonly settings: SettingsStore,
    private readonly log: (message: string) => void,
  ) {
    this.toolbox = new Toolbox(settings);
  }

  async folder(): Promise<string> {
    return (await this.settings.read()).backups.folder ?? path.join(this.dataDir, 'backups');
  }

  /** A new backups folder: created if missing, and it must take a file. */
  async setFolder(folder: string): Promise<string> {
    const resolved = path.resolve(folder.trim());
    if (!path.isAbsolute(folder.trim()))
      throw new AppError('VALIDATION', 'Give the backups folder as a full path, e.g. /var/backups/simple-db.', { field: 'folder' });
    await makeFolder(resolved);
    const probe = path.join(resolved, `.simple-db-write-test-${process.pid}`);
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
    await this.settings.update((settings) => (settings.backups.folder = resolved));
    return resolved;
  }

  /** The remembered options with `changes` on top. */
  async options(changes: Partial<BackupOptionsInput> = {}): Promise<BackupOptions> {
    const remembered = (await this.settings.read()).backups.options ?? {};
    return backupOptionsSchema.parse({ ...remembered, ...changes });
  }

  /** The admin's backups start from the remembered options; safety, scheduled and pre-migration ones from the defaults. */
  async plan(
    target: ConnectionTarget,
    changes?: Partial<BackupOptionsInput>,
    how: { outPath?: string; folder?: string; remembered?: boolean } = {},
  ): Promise<BackupPlan> {
    const { outPath, remembered = true } = how;
    const options = remembered ? await this.options(changes) : backupOptionsSchema.parse(changes ?? {});
    return planBackup({ toolbox: this.toolbox, target, folder: how.folder ?? (await this.folder()), options, ...(outPath ? { outPath } : {}) });
  }

  /**
   * Takes a backup. The app's own backups start from, and remember, the admin's last choices;
   * the command line (`remembered: false`), safety, scheduled and pre-migration backups use
   * exactly what they are given over the defaults, so a choice made once in the window never
   * turns a cron job's backup into a partial one.
   */
  async create(
    target: ConnectionTarget,
    request: {
      options?: Partial<BackupOptionsInput>;
      kind: BackupManifest['kind'];
      remembered?: boolean;
      note?: string;
      migrations?: string[];
      outPath?: string;
      /** Made already (the handler checks it before starting the job). */
      plan?: BackupPlan;
    },
    control: JobControl,
  ): Promise<BackupEntry> {
    const remembered = request.remembered ?? request.kind === 'manual';
    const plan = request.plan ?? (await this.plan(target, request.options, { ...(request.outPath ? { outPath: request.outPath } : {}), remembered }));
    const entry = await runBackup(
      plan,
      {
        target,
        kind: request.kind,
        ...(request.note ? { note: request.note } : {}),
        ...(request.migrations ? { migrations: request.migrations } : {}),
        toolbox: this.toolbox,
        log: this.log,
      },
      control,
    );
    // Remembered once they worked: a typo in a table name must not become the next one-click backup.
    if (remembered && request.options) await this.settings.update((settings) => (settings.backups.options = plan.options));
    return entry;
  }

  /** Each applied migration → the newest pre-migration backup of this database that it was pending in. */
  async backupsBeforeMigrations(target: ConnectionTarget, applied: readonly string[]): Promise<Record<string, string>> {
    const links: Record<string, string> = {};
    const backups = (await this.list()).filter(
      (entry) =>
        entry.manifest?.kind === 'pre-migration' &&
        entry.manifest.database === target.database &&
        entry.manifest.host === target.host &&
        entry.manifest.port === target.port,
    );
    for (const name of applied) {
      const before = backups.find((entry) => entry.manifest?.migrations?.includes(name));
      if (before) links[name] = before.name;
    }
    return links;
  }

  async list(): Promise<BackupEntry[]> {
    return listBackups(await this.folder());
  }

  async find(name: string, folder?: string): Promise<BackupEntry> {
    if (folder) return describeBackupAt(path.join(folder, name));
    return findBackup(await this.folder(), name);
  }

  /** A file anywhere, as a backup entry (the command line's restore). */
  async entryForPath(file: string): Promise<BackupEntry> {
    return describeBackupAt(file);
  }

  async verify(name: string, signal?: AbortSignal): Promise<Verification> {
    return verifyBackup(await this.find(name), this.toolbox, signal);
  }

  async delete(name: string): Promise<string> {
    const entry = await this.find(name);
    await deleteBackup(entry);
    this.log(`backup deleted: ${entry.path}`);
    return entry.name;
  }

  private choice(target: ConnectionTarget, request: RestoreRequest, entry: BackupEntry) {
    return {
      entry,
      target,
      mode: request.target.mode,
      database: request.target.mode === 'new' ? request.target.database : target.database,
      noOwner: request.noOwner,
      noPrivileges: request.noPrivileges,
    };
  }

  async preflight(target: ConnectionTarget, request: RestoreRequest, signal?: AbortSignal): Promise<Preflight> {
    refuseReadOnly(target, 'restore');
    const entry = await this.find(request.name, request.folder);
    return (await preflightRestore(this.choice(target, request, entry), this.toolbox, signal)).preflight;
  }

  /** Checks the typed confirmation before anything runs; the restore is then a job. */
  async checkConfirmation(target: ConnectionTarget, request: RestoreRequest, confirm: string): Promise<void> {
    refuseReadOnly(target, 'restore');
    const database = request.target.mode === 'new' ? request.target.database : target.database;
    if (confirm !== database) {
      throw new AppError('VALIDATION', `Type the database name “${database}” exactly to confirm the restore.`, { field: 'confirm' });
    }
    await this.find(request.name, request.folder);
    if (this.busy.has(this.key(target, database))) throw new AppError('CONFLICT', `A restore into “${database}” is already running.`);
  }

  async restore(
    target: ConnectionTarget,
    request: RestoreRequest & { safetyBackup: boolean; terminateSessions: boolean },
    control: JobControl,
  ): Promise<RestoreResult> {
    refuseReadOnly(target, 'restore');
    const entry = await this.find(request.name, request.folder);
    const choice = this.choice(target, request, entry);
    const key = this.key(target, choice.database);
    if (this.busy.has(key)) throw new AppError('CONFLICT', `A restore into “${choice.database}” is already running.`);
    this.busy.add(key);
    try {
      return await runRestore(
        {
          choice,
          terminateSessions: request.terminateSessions,
          safetyBackup: request.safetyBackup
            ? async () =>
                (
                  await this.create(
                    target,
                    { kind: 'safety', note: `Before restoring ${entry.name}` },
                    { signal: control.signal, progress: (progress) => control.progress({ ...progress, phase: `Safety backup: ${progress.phase}` }) },
                  )
                ).name
            : null,
          toolbox: this.toolbox,
          log: this.log,
        },
        control,
      );
    } finally {
      this.busy.delete(key);
    }
  }

  private key(target: ConnectionTarget, database: string): string {
    return `${target.host}:${target.port}/${database}`;
  }
}
