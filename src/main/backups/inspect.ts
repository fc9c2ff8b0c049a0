import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { BackupEntry } from '../../shared/contract/backups';
import { AppError } from '../errors/app-error';
import { ProcessError, run } from '../process/runner';
import { INHERITED_LIBPQ_VARIABLES } from './libpq-env';
import { PlainScriptFilter, ScriptRefused, type ScriptSummary } from './plain-script';
import { listArchive, type ArchiveContents } from './readback';
import type { Toolbox } from './toolbox';
import { majorOfVersion, type InstalledTool } from './tools';

/** What a backup file holds, read before anything is touched. */
export interface FileInspection {
  /** The SQL it would run (a plain file; an archive's definitions), as the filter saw it. */
  summary: ScriptSummary;
  archive: ArchiveContents | null;
  /** The first line the filter refuses to run, if any. */
  refused: ScriptRefused | null;
  sourceDatabase: string | null;
  sourceServerVersion: string | null;
  toolVersion: string | null;
  /** Tables it creates, with the rows it holds where known. */
  tables: Array<{ name: string; rows: number | null }>;
  /** A plain file without pg_dump's last line stopped early. */
  complete: boolean;
  /** The pg_restore that reads it (archives). */
  pgRestore: InstalledTool | null;
}

/** Feeds a stream of SQL text through the filter, keeping its summary and the first refusal. */
async function scan(source: AsyncIterable<Buffer | string>, filter: PlainScriptFilter): Promise<ScriptRefused | null> {
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of source) filter.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    filter.push(decoder.decode());
    filter.end();
    return null;
  } catch (error) {
    if (error instanceof ScriptRefused) return error;
    throw error;
  }
}

/** Files that look like plain SQL to a first glance but that psql must not be fed as one database's dump. */
async function refuseWhatIsNotOneDatabase(entry: BackupEntry): Promise<void> {
  const handle = await fs.open(entry.path, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new AppError(
      'VALIDATION',
      `${entry.name} is gzip-compressed. Decompress it first (gunzip ${entry.name}) and restore the .sql file it gives.`,
      { field: 'name' },
    );
  }
  if (head.toString('utf8').includes('-- PostgreSQL database cluster dump')) {
    throw new AppError(
      'VALIDATION',
      `${entry.name} is a pg_dumpall file: the roles and every database of a whole server. Simple DB restores one database at a time; restore this one with psql as a superuser, or take a pg_dump of the database you need.`,
      { field: 'name' },
    );
  }
}

/**
 * Reads a backup the way a restore would, without running any of it: a plain file through the
 * filter from start to end (row counts come from its COPY blocks), an archive's table of
 * contents and its definitions' SQL (pg_restore --schema-only).
 */
export async function inspectBackup(entry: BackupEntry, toolbox: Toolbox, signal?: AbortSignal): Promise<FileInspection> {
  const filter = new PlainScriptFilter();
  if (entry.format === 'plain') {
    await refuseWhatIsNotOneDatabase(entry);
    const refused = await scan(createReadStream(entry.path, signal ? { signal } : {}), filter);
    const { summary } = filter;
    return {
      summary,
      archive: null,
      refused,
      sourceDatabase: entry.manifest?.database ?? null,
      sourceServerVersion: summary.sourceServerVersion ?? entry.manifest?.serverVersion ?? null,
      toolVersion: summary.toolVersion ?? entry.manifest?.tool.version ?? null,
      tables: summary.tables.map((name) => ({ name, rows: entry.manifest?.rowCounts[name] ?? summary.rowCounts[name] ?? (refused ? null : 0) })),
      complete: summary.complete,
      pgRestore: null,
    };
  }
  // The manifest says which pg_dump wrote it; otherwise the newest pg_restore reads any archive's header.
  const neededMajor = majorOfVersion(entry.manifest?.tool.version ?? null) ?? 10;
  const reader = entry.manifest ? await toolbox.pick('pg_restore', neededMajor) : await toolbox.newest('pg_restore');
  const archive = await listArchive(reader, entry.path, signal);
  const pgRestore = await toolbox.pick('pg_restore', Math.max(neededMajor, majorOfVersion(archive.toolVersion) ?? 10));
  const definitions = run({
    command: pgRestore.path,
    args: ['--schema-only', '--file=-', entry.path],
    env: { LC_ALL: 'C' },
    dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
    stdout: 'stream',
    ...(signal ? { signal } : {}),
  });
  const refused = await scan(definitions.stdout!, filter);
  if (refused) await definitions.stop();
  const result = await definitions.done;
  if (!refused && result.code !== 0) throw new ProcessError('pg_restore', result);
  const { summary } = filter;
  return {
    summary,
    archive,
    refused,
    sourceDatabase: archive.sourceDatabase ?? entry.manifest?.database ?? null,
    sourceServerVersion: archive.sourceServerVersion ?? entry.manifest?.serverVersion ?? null,
    toolVersion: archive.toolVersion ?? entry.manifest?.tool.version ?? null,
    tables: archive.tables.map((name) => ({ name, rows: entry.manifest?.rowCounts[name] ?? null })),
    complete: true,
    pgRestore,
  };
}
