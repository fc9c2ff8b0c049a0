import fs from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry, BackupFormat, Verification } from '../../shared/contract/backups';
import { AppError } from '../errors/app-error';
import { ProcessError } from '../process/runner';
import { manifestPath, measureBackup, readManifest, writeManifest } from './manifest';
import { MANIFEST_SUFFIX, PARTIAL_SUFFIX } from './naming';
import { inspectBackup } from './inspect';
import { detectFormat, listArchive, plainDumpComplete, readWholeArchive } from './readback';
import type { Toolbox } from './toolbox';
import { majorOfVersion } from './tools';

/** Files that can be backups by their name; a folder counts when it holds a directory archive's toc.dat. */
const BACKUP_FILE = /\.(dump|backup|sql|pgdump|custom|sql\.gz)$/i;

/** Verifications of hand-made files (no manifest to keep them in), for as long as the app runs. */
const handMadeVerifications = new Map<string, Verification>();

/** Every backup in the folder, newest first: ours with their manifests, and any dropped in by hand. */
export async function listBackups(folder: string): Promise<BackupEntry[]> {
  const names = await fs.readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const entries: BackupEntry[] = [];
  for (const name of names) {
    const entry = await backupIn(folder, name);
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The backup `name` in `folder`, or null when that is not one (a manifest, a .partial, another file). */
async function backupIn(folder: string, name: string): Promise<BackupEntry | null> {
  if (name.endsWith(PARTIAL_SUFFIX) || name.endsWith(MANIFEST_SUFFIX) || name.startsWith('.')) return null;
  const file = path.join(folder, name);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat || !(stat.isDirectory() || BACKUP_FILE.test(name))) return null;
  const format = await detectFormat(file).catch(() => null);
  return format ? describe(file, format, stat.mtime) : null;
}

async function describe(file: string, format: BackupFormat, modified: Date): Promise<BackupEntry> {
  const saved = await readManifest(file);
  const size = saved?.manifest.size ?? (await sizeOf(file));
  return {
    name: path.basename(file),
    path: file,
    format,
    size,
    createdAt: saved?.manifest.startedAt ?? modified.toISOString(),
    manifest: saved?.manifest ?? null,
    verification: saved?.verification ?? handMadeVerifications.get(file) ?? null,
  };
}

async function sizeOf(file: string): Promise<number> {
  const stat = await fs.stat(file);
  if (!stat.isDirectory()) return stat.size;
  let size = 0;
  for (const name of await fs.readdir(file)) size += (await fs.stat(path.join(file, name))).size;
  return size;
}

/** Any backup file or directory archive by its path (the command line restores files from anywhere). */
export async function describeBackupAt(file: string): Promise<BackupEntry> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw new AppError('NOT_FOUND', `${file} does not exist.`, { field: 'file' });
  const format = await detectFormat(file);
  if (!format) throw new AppError('VALIDATION', `${file} is a folder without toc.dat: not a directory-format backup.`, { field: 'file' });
  return describe(file, format, stat.mtime);
}

/** The backup called `name` in the folder (never a path outside it). */
export async function findBackup(folder: string, name: string): Promise<BackupEntry> {
  // One file looked at, not the whole folder: every action on a backup starts here.
  const entry = await backupIn(folder, name);
  if (!entry)
    throw new AppError('NOT_FOUND', `There is no backup named ${name} in ${folder}. Refresh the list: it may have been moved or deleted.`, {
      field: 'name',
    });
  return entry;
}

/**
 * Checks a backup again: its size and checksum against the manifest (a mismatch means the file
 * changed or is truncated), and that it reads: an archive lists, a plain file ends with pg_dump's
 * trailer. The outcome is kept in the manifest file (or, for a hand-made file, until restart).
 */
export async function verifyBackup(entry: BackupEntry, toolbox: Toolbox, signal?: AbortSignal): Promise<Verification> {
  const failed = (message: string): Verification => ({ state: 'failed', checkedAt: new Date().toISOString(), message });
  let verification: Verification | null = null;
  if (entry.manifest) {
    const measured = await measureBackup(entry.path, signal);
    if (measured.size !== entry.manifest.size) {
      verification = failed(
        measured.size < entry.manifest.size
          ? `The file is truncated: ${measured.size} bytes, but the backup wrote ${entry.manifest.size}.`
          : `The file changed since the backup: ${measured.size} bytes, but the backup wrote ${entry.manifest.size}.`,
      );
    } else if (measured.sha256 !== entry.manifest.sha256) {
      verification = failed('The file changed since the backup: its checksum (sha256) no longer matches the manifest.');
    }
  }
  if (!verification) verification = await readability(entry, toolbox, signal);
  if (entry.manifest) await writeManifest(entry.path, entry.manifest, verification);
  else handMadeVerifications.set(entry.path, verification);
  return verification;
}

async function readability(entry: BackupEntry, toolbox: Toolbox, signal?: AbortSignal): Promise<Verification> {
  const checkedAt = new Date().toISOString();
  if (entry.format === 'plain') {
    // Read as a restore would: a file that would be refused (a psql command, gzip, pg_dumpall) is not a usable backup.
    try {
      const { refused } = await inspectBackup(entry, toolbox, signal);
      if (refused) return { state: 'failed', checkedAt, message: `${refused.message}: Simple DB will not restore this file.` };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'VALIDATION')) throw error;
      return { state: 'failed', checkedAt, message: error.message };
    }
    return (await plainDumpComplete(entry.path))
      ? {
          state: 'verified',
          checkedAt,
          message: entry.manifest
            ? 'Checksum matches; the file ends as pg_dump ends it.'
            : 'The file ends as pg_dump ends it (no manifest to compare with).',
        }
      : { state: 'failed', checkedAt, message: "The SQL file lacks pg_dump's closing line: it is truncated or was not made by pg_dump." };
  }
  const written = majorOfVersion(entry.manifest?.tool.version);
  const pgRestore = written ? await toolbox.pick('pg_restore', written) : await toolbox.newest('pg_restore');
  try {
    const contents = await listArchive(pgRestore, entry.path, signal);
    // Without a checksum to lean on, read every byte: a truncated archive still lists its contents.
    if (!entry.manifest) await readWholeArchive(pgRestore, entry.path, signal);
    return {
      state: 'verified',
      checkedAt,
      message: `${entry.manifest ? 'Checksum matches; ' : ''}pg_restore reads it: ${contents.tables.length} tables${entry.manifest ? '' : ' (no manifest to compare with)'}.`,
    };
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    return { state: 'failed', checkedAt, message: `pg_restore cannot read it: ${error.result.lastLines.slice(-1)[0] ?? 'no reason given'}` };
  }
}

/** Deletes a backup and its manifest. */
export async function deleteBackup(entry: BackupEntry): Promise<void> {
  await fs.rm(entry.path, { recursive: true, force: true });
  await fs.rm(manifestPath(entry.path), { force: true });
  handMadeVerifications.delete(entry.path);
}
