import fs from 'node:fs/promises';
import type pg from 'pg';
import path from 'node:path';
import type { BackupEntry, BackupManifest, BackupOptions } from '../../shared/contract/backups';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import type { JobControl } from '../jobs/registry';
import { cancelBackend } from '../connections/cancellable';
import { ProcessError, run } from '../process/runner';
import { countRows, dataTables, serverMajor, splitQualified, withClient, type TableInfo } from './catalog';
import { describeCommand, INHERITED_LIBPQ_VARIABLES, libpqConnection, type ToolConnection } from './libpq-env';
import { measureBackup, writeManifest } from './manifest';
import { backupFileName, PARTIAL_SUFFIX } from './naming';
import { listArchive, plainDumpComplete } from './readback';
import type { Toolbox } from './toolbox';
import type { InstalledTool } from './tools';

export interface BackupPlan {
  tool: InstalledTool;
  serverVersion: string;
  /** Where the backup ends up, and where pg_dump writes until it is proven good. */
  file: string;
  partial: string;
  args: string[];
  connection: ToolConnection;
  /** For people: the command line with the password masked. */
  commandLine: string;
  options: BackupOptions;
  /** The admin named the file (command line --out): never renamed to -2, never overwritten. */
  exactName: boolean;
}

const FORMAT_LETTER = { custom: 'c', plain: 'p', directory: 'd' } as const;

/** A pg_dump table pattern that matches exactly one table: quoted, so nothing in it is a wildcard. */
function exactTablePattern(table: string): string {
  const [schema, name] = splitQualified(table);
  const quote = (part: string) => `"${part.replace(/"/g, '""')}"`;
  return `${quote(schema)}.${quote(name)}`;
}

function dumpArguments(options: BackupOptions, partial: string): string[] {
  const args = ['--verbose', '--no-password', `--format=${FORMAT_LETTER[options.format]}`, `--file=${partial}`, '--lock-wait-timeout=30000'];
  if (options.format === 'directory' && options.jobs > 1) args.push(`--jobs=${options.jobs}`);
  if (options.compression !== null) args.push(`--compress=${options.compression}`);
  if (options.content === 'schema') args.push('--schema-only');
  if (options.content === 'data') args.push('--data-only');
  for (const table of options.tables) args.push(`--table=${exactTablePattern(table)}`);
  if (options.tables.length) args.push('--strict-names');
  if (options.noOwner) args.push('--no-owner');
  if (options.noPrivileges) args.push('--no-privileges');
  return args;
}

/** Options that cannot go together, refused before anything runs. */
function checkOptions(options: BackupOptions): void {
  if (options.format === 'plain' && options.compression !== null && options.compression > 0) {
    throw new AppError('VALIDATION', 'Compression applies to the custom and directory formats; a plain SQL file is written uncompressed.', {
      field: 'compression',
    });
  }
}

/**
 * Everything about a backup before it runs: the pg_dump that fits the server, the file name
 * (from the template, in `folder`, or exactly `outPath`), the arguments and the command line.
 */
export async function planBackup(input: {
  toolbox: Toolbox;
  target: ConnectionTarget;
  folder: string;
  options: BackupOptions;
  now?: Date;
  outPath?: string;
}): Promise<BackupPlan> {
  const { toolbox, target, folder, options } = input;
  checkOptions(options);
  const server = await withClient(target, target.database, serverMajor);
  const tool = await toolbox.pick('pg_dump', server.major);
  let file: string;
  if (input.outPath) file = path.resolve(input.outPath);
  else {
    const existing = new Set(await fs.readdir(folder).catch(() => [] as string[]));
    file = path.join(
      folder,
      backupFileName(target.database, input.now ?? new Date(), options.format, (name) => existing.has(name)),
    );
  }
  const partial = `${file}${PARTIAL_SUFFIX}`;
  const args = dumpArguments(options, partial);
  const connection = libpqConnection(target, { applicationName: 'simple-db-backup' });
  return {
    tool,
    serverVersion: server.version,
    file,
    partial,
    args,
    connection,
    commandLine: describeCommand(tool.path, args, connection),
    options,
    exactName: Boolean(input.outPath),
  };
}

/** Progress from pg_dump's --verbose lines, each table weighted by its size on disk. */
class DumpProgress {
  private readonly weights = new Map<string, number>();
  private readonly finished = new Set<string>();
  private current: string | null = null;
  private readonly total: number;
  /** Reading the catalog and writing definitions: a slice of the whole, before any data. */
  private readonly schemaWeight: number;
  private schemaDone = false;

  constructor(
    tables: readonly TableInfo[],
    private readonly report: JobControl['progress'],
  ) {
    for (const table of tables) this.weights.set(table.name, Math.max(table.bytes, 8192));
    const data = [...this.weights.values()].reduce((sum, bytes) => sum + bytes, 0);
    this.schemaWeight = Math.max(Math.round(data * 0.02), 8192);
    this.total = data + this.schemaWeight;
    this.report({ phase: 'Reading the database definition', done: 0, total: this.total, unit: 'bytes' });
  }

  line(line: string): void {
    const started = /dumping contents of table "(.+)"$/.exec(line);
    if (started) {
      this.schemaDone = true;
      // One table at a time (unless --jobs): the one before is complete.
      if (this.current) this.finished.add(this.current);
      this.current = started[1]!;
      this.send(`Dumping table ${this.current}`);
      return;
    }
    const parallelDone = /finished item \d+ TABLE DATA (.+)$/.exec(line);
    if (parallelDone) {
      const tag = parallelDone[1]!;
      const name = [...this.weights.keys()].find((table) => table.endsWith(`.${tag}`) && !this.finished.has(table));
      if (name) this.finished.add(name);
      this.send(`Dumped table ${name ?? tag}`);
    }
  }

  private send(phase: string): void {
    let done = this.schemaDone ? this.schemaWeight : 0;
    for (const table of this.finished) done += this.weights.get(table) ?? 0;
    this.report({
      phase,
      done: Math.min(done, this.total),
      total: this.total,
      unit: 'bytes',
      message: `${this.finished.size} of ${this.weights.size} tables`,
    });
  }
}

/** `name.dump` → `name-2.dump`: the next free name when another backup took this one meanwhile. */
function numbered(file: string, n: number): string {
  const extension = path.extname(file);
  return `${file.slice(0, file.length - extension.length)}-${n}${extension}`;
}

/**
 * Claims the backup's name before pg_dump runs: its `.partial` created exclusively (a folder, for
 * the directory format) and no finished backup of that name. Two backups in the same second (a
 * scheduled run and a click, two Simple DBs, `my db` and `my_db`) so never share or delete a file.
 */
async function reserveName(plan: BackupPlan): Promise<BackupPlan> {
  for (let n = 1; n < 100; n++) {
    const file = n === 1 ? plan.file : numbered(plan.file, n);
    const partial = `${file}${PARTIAL_SUFFIX}`;
    const finished = await fs.lstat(file).then(
      () => true,
      () => false,
    );
    if (!finished) {
      try {
        if (plan.options.format === 'directory') await fs.mkdir(partial, { mode: 0o700 });
        else await (await fs.open(partial, 'wx', 0o600)).close();
        const args = plan.args.map((arg) => (arg === `--file=${plan.partial}` ? `--file=${partial}` : arg));
        return { ...plan, file, partial, args, commandLine: describeCommand(plan.tool.path, args, plan.connection) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (plan.exactName) {
      throw new AppError('CONFLICT', `${file} already exists (or is being written). Choose another file name; Simple DB never overwrites a backup.`, {
        field: 'out',
      });
    }
  }
  throw new AppError('CONFLICT', `Could not find a free name for the backup beside ${plan.file}.`);
}

/** Backups hold every row: readable by their owner only, whatever the umask or the folder. */
async function makePrivate(target: string, format: BackupOptions['format']): Promise<void> {
  if (format !== 'directory') return fs.chmod(target, 0o600);
  await fs.chmod(target, 0o700);
  for (const name of await fs.readdir(target)) await fs.chmod(path.join(target, name), 0o600);
}

async function removeQuietly(target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Runs a planned backup: pg_dump reads one snapshot, exported by a transaction of ours in which
 * the rows are counted too (so the manifest's counts are exactly what the file holds). It writes
 * `<name>.partial`; only after pg_dump exits 0 and the file reads back is it renamed, measured
 * and given its manifest. Cancel, a failure or a full disk leave nothing that looks like a backup.
 */
export async function runBackup(
  planned: BackupPlan,
  job: {
    target: ConnectionTarget;
    kind: BackupManifest['kind'];
    note?: string;
    migrations?: string[];
    toolbox: Toolbox;
    log: (message: string) => void;
  },
  control: JobControl,
): Promise<BackupEntry> {
  const { signal } = control;
  const { target } = job;
  const startedAt = new Date();
  await fs.mkdir(path.dirname(planned.file), { recursive: true, mode: 0o700 });
  const plan = await reserveName(planned);
  job.log(`backup: ${plan.commandLine}`);
  let rowCounts: Record<string, number>;
  let measured: { size: number; sha256: string };
  try {
    rowCounts = await withClient(target, target.database, async (client) => {
      // Reading the catalog and counting wait for locks like pg_dump does: never for ever, and a
      // cancel reaches the server at once (over a connection of its own) rather than after the lock.
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, set_config('lock_timeout', '30s', false)");
      const cancel = () => void cancelBackend(target, rows[0]!.pid).catch(() => undefined);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await dumpInSnapshot(plan, target, client, control);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    });
    signal.throwIfAborted();

    control.progress({ phase: 'Reading the backup back', done: 0, total: null, unit: 'steps' });
    // The read-back and the checksum read the same finished file: side by side, not one after the other.
    [, measured] = await Promise.all([checkReadable(plan, job.toolbox, signal), measureBackup(plan.partial, signal)]);
    await makePrivate(plan.partial, plan.options.format);
    await fs.rename(plan.partial, plan.file);
  } catch (error) {
    await removeQuietly(plan.partial);
    throw error;
  }
  try {
    const manifest: BackupManifest = {
      manifestVersion: 1,
      kind: job.kind,
      database: target.database,
      host: target.host,
      port: target.port,
      serverVersion: plan.serverVersion,
      tool: { name: 'pg_dump', path: plan.tool.path, version: plan.tool.version },
      format: plan.options.format,
      options: plan.options,
      size: measured.size,
      sha256: measured.sha256,
      rowCounts,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      ...(job.note ? { note: job.note } : {}),
      ...(job.migrations ? { migrations: job.migrations } : {}),
    };
    const verification = {
      state: 'verified' as const,
      checkedAt: new Date().toISOString(),
      message: 'Read back after the backup; checksum recorded.',
    };
    await writeManifest(plan.file, manifest, verification);
    return {
      name: path.basename(plan.file),
      path: plan.file,
      format: plan.options.format,
      size: measured.size,
      createdAt: manifest.startedAt,
      manifest,
      verification,
    };
  } catch (error) {
    // A backup without its manifest (say, the disk filled up just now) is not one we vouch for.
    await removeQuietly(plan.file);
    await removeQuietly(`${plan.file}.manifest.json`);
    await removeQuietly(`${plan.file}.manifest.json.tmp`);
    throw error;
  }
}

/**
 * With --table, pg_dump leaves out the database's extensions, so a backup of the users table alone
 * carries its trigram index but not pg_trgm, and restoring it into a new database fails on
 * gin_trgm_ops. Naming every installed extension (pg_dump 14+) puts them back in: pg_dump writes
 * CREATE EXTENSION IF NOT EXISTS, so restoring over a database that has them changes nothing.
 */
async function extensionArguments(plan: BackupPlan, client: pg.Client): Promise<string[]> {
  if (!plan.options.tables.length || plan.options.content === 'data' || plan.tool.major < 14) return [];
  const { rows } = await client.query<{ name: string }>("SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname");
  // Quoted, so a name is an exact pattern rather than a wildcard.
  return rows.map((row) => `--extension="${row.name.replace(/"/g, '""')}"`);
}

/** pg_dump in the snapshot of `client`'s transaction, the rows counted in that same snapshot meanwhile. */
async function dumpInSnapshot(plan: BackupPlan, target: ConnectionTarget, client: pg.Client, control: JobControl): Promise<Record<string, number>> {
  const { signal } = control;
  const tables = await dataTables(client);
  const chosen = plan.options.tables.length ? tables.filter((table) => plan.options.tables.includes(table.name)) : tables;
  const missing = plan.options.tables.filter((name) => !tables.some((table) => table.name === name));
  if (missing.length) throw new AppError('VALIDATION', `There is no table ${missing.join(', ')} in ${target.database}.`, { field: 'tables' });
  const progress = new DumpProgress(plan.options.content === 'schema' ? [] : chosen, control.progress);

  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const { rows } = await client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
  const dump = run({
    command: plan.tool.path,
    args: [...plan.args, ...(await extensionArguments(plan, client)), `--snapshot=${rows[0]!.snapshot}`],
    env: plan.connection.env,
    secretEnv: plan.connection.secretEnv,
    dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
    stdout: 'ignore',
    onStderrLine: (line) => progress.line(line),
    keepLines: 40,
    signal,
  });
  // Counted while pg_dump works, in the snapshot it reads.
  const counting =
    plan.options.content === 'schema'
      ? Promise.resolve({})
      : countRows(
          client,
          chosen.map((table) => table.name),
          signal,
        );
  const [result, counts] = await Promise.all([dump.done, counting.catch((error: unknown) => error as Error)]);
  await client.query('COMMIT').catch(() => undefined);
  signal.throwIfAborted();
  if (result.code !== 0) {
    throw new ProcessError('pg_dump', {
      ...result,
      lastLines: result.lastLines.filter(
        (line) => !/^pg_dump: (dumping|reading|finished|last built-in|identifying|saving|processing|creating|launching|executing)/.test(line),
      ),
    });
  }
  if (counts instanceof Error) throw counts;
  return counts;
}

/** The archive must list (pg_restore reads its table of contents); a plain file must end with pg_dump's trailer. */
async function checkReadable(plan: BackupPlan, toolbox: Toolbox, signal: AbortSignal): Promise<void> {
  if (plan.options.format === 'plain') {
    if (!(await plainDumpComplete(plan.partial))) {
      throw new AppError(
        'STORAGE',
        'pg_dump finished but the SQL file lacks its closing line: it was not written completely. Nothing was kept; try again.',
      );
    }
    return;
  }
  const pgRestore = await toolbox.pick('pg_restore', plan.tool.major);
  await listArchive(pgRestore, plan.partial, signal);
}
