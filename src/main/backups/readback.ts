import fs from 'node:fs/promises';
import { runToCompletion } from '../process/runner';
import { INHERITED_LIBPQ_VARIABLES } from './libpq-env';
import type { InstalledTool } from './tools';

/** The last line pg_dump writes into a plain dump (before `\unrestrict`): its absence means it stopped early. */
export const PLAIN_TRAILER = '-- PostgreSQL database dump complete';

/** What an archive's table of contents says about itself and what it holds. */
export interface ArchiveContents {
  sourceDatabase: string | null;
  sourceServerVersion: string | null;
  toolVersion: string | null;
  /** `schema.table` of every table it creates, in order. */
  tables: string[];
  /** Tables whose rows it holds. */
  dataTables: string[];
  /** Owners named by its entries. */
  owners: string[];
  /** Whether it carries GRANT/REVOKE entries. */
  hasPrivileges: boolean;
}

/** Parses `pg_restore --list` output. */
export function parseArchiveList(lines: readonly string[]): ArchiveContents {
  const header = (label: string) => {
    const line = lines.find((candidate) => candidate.startsWith(';') && candidate.includes(`${label}:`));
    return line ? line.slice(line.indexOf(`${label}:`) + label.length + 1).trim() : null;
  };
  const contents: ArchiveContents = {
    sourceDatabase: header('dbname'),
    sourceServerVersion: header('Dumped from database version'),
    toolVersion: header('Dumped by pg_dump version'),
    tables: [],
    dataTables: [],
    owners: [],
    hasPrivileges: false,
  };
  const owners = new Set<string>();
  for (const line of lines) {
    // "215; 1259 16386 TABLE public users postgres": id; catalog oid, object oid, type, schema, name, owner.
    const entry = /^\d+;\s+\d+\s+\d+\s+(TABLE DATA|TABLE|ACL|DEFAULT ACL|[A-Z ]+?)\s+(\S+)\s+(.+)\s+(\S+)$/.exec(line);
    if (!entry) continue;
    const [, type, schema, name, owner] = entry as unknown as [string, string, string, string, string];
    if (type === 'TABLE') contents.tables.push(`${schema}.${name}`);
    else if (type === 'TABLE DATA') contents.dataTables.push(`${schema}.${name}`);
    else if (type === 'ACL' || type === 'DEFAULT ACL') contents.hasPrivileges = true;
    if (owner !== '-' && schema !== '-') owners.add(owner);
  }
  contents.owners = [...owners];
  return contents;
}

/** Reads an archive's table of contents; fails (ProcessError) when pg_restore cannot read the file. */
export async function listArchive(pgRestore: InstalledTool, file: string, signal?: AbortSignal): Promise<ArchiveContents> {
  const lines: string[] = [];
  await runToCompletion({
    command: pgRestore.path,
    // The path is absolute (never taken for an option); `--list` reads only the table of contents.
    args: ['--list', file],
    env: { LC_ALL: 'C', LC_MESSAGES: 'C' },
    dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
    onStdoutLine: (line) => lines.push(line),
    ...(signal ? { signal } : {}),
  });
  return parseArchiveList(lines);
}

/** Reads an archive to its end (its SQL thrown away): fails (ProcessError) on a missing or cut-off part. */
export async function readWholeArchive(pgRestore: InstalledTool, file: string, signal?: AbortSignal): Promise<void> {
  await runToCompletion({
    command: pgRestore.path,
    args: [`--file=${process.platform === 'win32' ? 'NUL' : '/dev/null'}`, file],
    env: { LC_ALL: 'C', LC_MESSAGES: 'C' },
    dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
    stdout: 'ignore',
    ...(signal ? { signal } : {}),
  });
}

/** Whether a plain dump ends as pg_dump ends it (the trailer sits in the last few lines). */
export async function plainDumpComplete(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').includes(PLAIN_TRAILER);
  } finally {
    await handle.close();
  }
}

/** What kind of backup a path holds, from its content: an archive's magic, a directory's toc.dat, else plain SQL. */
export async function detectFormat(file: string): Promise<'custom' | 'directory' | 'plain' | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) return null;
  if (stat.isDirectory()) {
    return (await fs.stat(`${file}/toc.dat`).catch(() => null)) ? 'directory' : null;
  }
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(5);
    await handle.read(buffer, 0, 5, 0);
    return buffer.toString('latin1') === 'PGDMP' ? 'custom' : 'plain';
  } finally {
    await handle.close();
  }
}
