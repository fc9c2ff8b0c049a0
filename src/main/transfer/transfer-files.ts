import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';
import { FileHandles, HANDLE_LIFETIME_MS } from './file-handles';

/** A finished transfer job's files, for transfer.download and transfer.reveal. */
export interface JobOutputs {
  /** The exported CSV. */
  export?: string;
  /** An import's bad lines as CSV (only when there were any). */
  report?: string;
}

/** Jobs whose files are remembered; the job registry itself keeps fewer finished jobs than this. */
const KEEP_OUTPUTS = 200;
/** Exports and reports Simple DB wrote into its own folders (browser mode) are removed after a week. */
const KEEP_OWN_FILES_MS = 7 * 24 * 60 * 60_000;

/**
 * What CSV transfer keeps while the app runs: the file handles the window names instead of paths,
 * each transfer job's files, and the folders in the data directory where browser mode's exports,
 * reports and uploads live (the browser downloads and uploads; it cannot name a folder).
 */
export class TransferFiles {
  readonly handles = new FileHandles();
  private readonly outputs = new Map<string, JobOutputs>();
  /** Names handed out by newFile: two exports started in the same second must not share one before either exists. */
  private readonly named = new Set<string>();
  readonly exportsDir: string;
  readonly reportsDir: string;
  readonly uploadsDir: string;

  constructor(dataDir: string) {
    this.exportsDir = path.join(dataDir, 'exports');
    this.reportsDir = path.join(dataDir, 'reports');
    this.uploadsDir = path.join(dataDir, 'uploads');
  }

  remember(jobId: string, files: JobOutputs): void {
    this.outputs.set(jobId, { ...this.outputs.get(jobId), ...files });
    // Oldest first (a Map keeps insertion order).
    for (const key of this.outputs.keys()) {
      if (this.outputs.size <= KEEP_OUTPUTS) break;
      this.outputs.delete(key);
    }
  }

  /** The job's file of that kind; NOT_FOUND when the job had none or the file is gone. */
  async file(jobId: string, kind: keyof JobOutputs): Promise<string> {
    const file = this.outputs.get(jobId)?.[kind];
    if (!file) {
      throw new AppError(
        'NOT_FOUND',
        kind === 'export'
          ? 'This job wrote no export file (it is not a finished export, or Simple DB restarted since). Export again.'
          : 'This import has no report: it found no bad lines (or Simple DB restarted since).',
        { field: 'jobId' },
      );
    }
    try {
      await fs.access(file);
    } catch {
      throw new AppError(
        'NOT_FOUND',
        `${path.basename(file)} is no longer there (it was moved or deleted). ${kind === 'export' ? 'Export' : 'Import'} again.`,
        {
          field: 'jobId',
        },
      );
    }
    return file;
  }

  /**
   * A new file in one of our folders, named `<stem>-2026-11-29T20-15-00.csv` (UTC, so names sort
   * by time), with -2, -3 … when one of that second exists. The folder is made (0700) if needed,
   * and our files there older than a week are removed: browser mode has no other way to tidy them.
   */
  async newFile(dir: string, stem: string, now = new Date()): Promise<string> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await removeOlderThan(dir, KEEP_OWN_FILES_MS, now.getTime());
    const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
    for (let n = 1; ; n++) {
      const file = path.join(dir, `${stem}-${stamp}${n > 1 ? `-${n}` : ''}.csv`);
      if (this.named.has(file)) continue;
      // Claimed before the first await, so a second call in between moves on to the next name.
      this.named.add(file);
      if (!(await exists(file)) && !(await exists(`${file}.partial`))) return file;
    }
  }

  /**
   * Browser mode's start: uploads left by a run that did not close (a crash, a kill) and older than
   * any handle lives. Only those: another Simple DB on this data directory (the CLI) may have
   * fresh ones of its own.
   */
  async removeStaleUploads(now = Date.now()): Promise<void> {
    await fs.mkdir(this.uploadsDir, { recursive: true, mode: 0o700 });
    await removeOlderThan(this.uploadsDir, HANDLE_LIFETIME_MS, now, '.upload');
  }

  close(): Promise<void> {
    return this.handles.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Our files (by their ending) in `dir` last written more than `ageMs` ago. */
async function removeOlderThan(dir: string, ageMs: number, now: number, ending = '.csv'): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith(ending)) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > ageMs) await fs.rm(file, { force: true }).catch(() => undefined);
  }
}
