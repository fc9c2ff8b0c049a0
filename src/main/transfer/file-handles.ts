import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { ChosenFile } from '../../shared/contract';
import { AppError } from '../errors/app-error';

/** What a handle may be used for: an import reads its source, an export writes its destination. */
export type FilePurpose = 'read' | 'write';

export interface HandledFile {
  path: string;
  /** The name the admin knows the file by (an upload's temporary file has a random one of ours). */
  name: string;
  /** Bytes, when known (a destination has none yet). */
  size: number | null;
  purpose: FilePurpose;
  /** A temporary file of ours (an upload): deleted when its handle is used up, expires, or the app closes. */
  temporary: boolean;
}

/** How long a chosen or uploaded file stays usable: long enough to read a report and import again in skip mode. */
export const HANDLE_LIFETIME_MS = 60 * 60_000;

/** Which field a handle arrives in, by what it is for, so the error points at the right control. */
const FIELD: Record<FilePurpose, string> = { read: 'source', write: 'destination' };

const AGAIN: Record<FilePurpose, string> = {
  read: 'Choose the file again: Simple DB no longer knows this one (a chosen or uploaded file is kept for an hour, and forgotten when Simple DB restarts).',
  write:
    'Choose where to save the file again: Simple DB no longer knows this destination (a choice is kept for an hour, used once, and forgotten when Simple DB restarts).',
};

/**
 * Files the window may name, by opaque handle instead of path: the main process registers a file
 * the admin chose in a dialog (desktop) or uploaded (browser mode) and hands out a random handle,
 * so a page can never make the app read or write a path of its own choosing. Handles expire;
 * an unknown, expired or misused handle is a VALIDATION error that says to choose again.
 */
export class FileHandles {
  private readonly entries = new Map<string, HandledFile & { expires: number; busy: boolean }>();

  /** Expired uploads are deleted within this long even when no handle is used (a large upload must not sit on disk until restart). */
  private readonly sweeper = setInterval(() => this.sweep(), HANDLE_LIFETIME_MS / 6);

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper.unref(); // never what keeps the app running
  }

  register(file: HandledFile): ChosenFile {
    this.sweep();
    // 24 random bytes: 32 base64url characters, inside fileHandleSchema's 16–64 and unguessable.
    const handle = crypto.randomBytes(24).toString('base64url');
    this.entries.set(handle, { ...file, expires: this.now() + HANDLE_LIFETIME_MS, busy: false });
    return { handle, name: file.name, size: file.size };
  }

  /** The file behind a handle, for `purpose`; VALIDATION (on `source` or `destination`) when unknown, expired or meant for the other use. */
  resolve(handle: string, purpose: FilePurpose): HandledFile {
    this.sweep();
    const entry = this.entries.get(handle);
    if (!entry || entry.purpose !== purpose) throw new AppError('VALIDATION', AGAIN[purpose], { field: FIELD[purpose] });
    const { expires: _expires, busy: _busy, ...file } = entry;
    return file;
  }

  /**
   * The file behind a handle, held for one job until `unclaim`: a second export to the same file,
   * or a second import of the same upload while the first runs, is refused rather than let the two
   * interleave; a held handle does not expire under its job.
   */
  claim(handle: string, purpose: FilePurpose): HandledFile {
    const file = this.resolve(handle, purpose);
    const entry = this.entries.get(handle)!;
    if (entry.busy) {
      throw new AppError(
        'VALIDATION',
        purpose === 'read'
          ? 'This file is being imported right now: wait for that import to finish (or cancel it) before starting another.'
          : 'An export to this file is running right now: wait for it to finish (or cancel it), or choose another file.',
        { field: FIELD[purpose] },
      );
    }
    entry.busy = true;
    return file;
  }

  /** The job is over: the handle may be used again (for as long as it lives). */
  unclaim(handle: string): void {
    const entry = this.entries.get(handle);
    if (entry) {
      entry.busy = false;
      entry.expires = Math.max(entry.expires, this.now() + HANDLE_LIFETIME_MS / 4);
    }
  }

  /** The handle is used up: forgotten, and its temporary file (an upload) deleted. */
  async release(handle: string): Promise<void> {
    const entry = this.entries.get(handle);
    this.entries.delete(handle);
    if (entry?.temporary) await removeQuietly(entry.path);
  }

  /** At app close: every handle forgotten, every upload deleted (they are copies; the admin's file is elsewhere). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const temporary = [...this.entries.values()].filter((entry) => entry.temporary).map((entry) => entry.path);
    this.entries.clear();
    await Promise.all(temporary.map(removeQuietly));
  }

  /** Expired handles go, and their uploads with them: on every use, and every few minutes. */
  private sweep(): void {
    const now = this.now();
    for (const [handle, entry] of this.entries) {
      if (entry.expires > now || entry.busy) continue;
      this.entries.delete(handle);
      if (entry.temporary) void removeQuietly(entry.path);
    }
  }
}

/** A file that is already gone is fine; any other failure must not fail the work that released it. */
async function removeQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch(() => undefined);
}
