import fs from 'node:fs/promises';
import path from 'node:path';
import { startApp, type App } from './bootstrap';
import type { BackupFormat } from '../shared/contract';
import { databaseLabel, exitWithError, parseArguments, UsageError } from './cli-common';
import { translateError } from './errors/translate';
import type { JobControl } from './jobs/registry';
import { readEnvironment } from './lifecycle/environment';
import { onShutdownSignal } from './lifecycle/shutdown';

const environment = readEnvironment();

const USAGE = `Usage:
  npm run backup -- [--format custom|plain|directory] [--out <file or folder>]
  npm run restore -- <file> [--into <database>] [--yes] [--no-owner] [--no-safety-backup]

Acts on DATABASE_URL when set, otherwise on the embedded database (stop the app first).
backup  writes <database>-<yyyy-mm-dd_hhmmss>.dump (custom format) into the backups folder, or
        into --out (a folder, or the exact file name), with its manifest, and verifies it.
restore checks the file first, takes a safety backup, then restores it in one transaction:
        into the database itself (asks you to type its name, or pass --yes), or --into a new one.
Exits non-zero with the reason when anything fails, for cron and scripts.`;

/** Progress on a terminal: one line rewritten in place; plain lines when output is a file (cron). */
function terminalProgress(): JobControl['progress'] & { done(): void } {
  let last = '';
  const report = ((progress) => {
    const percent = progress.total ? ` ${Math.floor((progress.done / progress.total) * 100)}%` : '';
    const line = `${progress.phase}${percent}${progress.message ? ` (${progress.message})` : ''}`;
    if (line === last) return;
    last = line;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
    else process.stderr.write(`${line}\n`);
  }) as JobControl['progress'] & { done(): void };
  report.done = () => {
    if (process.stderr.isTTY && last) process.stderr.write('\r\x1b[K');
  };
  return report;
}

async function withApp(work: (app: App, control: JobControl) => Promise<void>): Promise<void> {
  const opening = startApp({ ...environment, migrateEmbedded: false });
  const controller = new AbortController();
  onShutdownSignal(
    async () => {
      controller.abort(new DOMException('Interrupted', 'AbortError'));
      await (await opening.catch(() => null))?.close();
    },
    { say: (line) => console.error(line), exitCode: 130 },
  );
  const app = await opening;
  const progress = terminalProgress();
  try {
    const { target } = app.defaultConnection;
    console.log(`Database: ${databaseLabel(target)}`);
    await work(app, { signal: controller.signal, progress });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // The same words as the app's: the one translation for the connection at hand.
    const translated = translateError(error, {
      connection: app.defaultConnection.errorContext(),
      ...(environment.logFile ? { logFile: environment.logFile } : {}),
    });
    throw Object.assign(new Error(translated.message), { translated });
  } finally {
    progress.done();
    await app.close();
  }
}

async function askToType(expected: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const readline = await import('node:readline/promises');
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(`Type the database name (${expected}) to replace its contents: `)).trim() === expected;
  } finally {
    prompt.close();
  }
}

/** A folder, but not a directory-format backup (`….dir`), which --out names as the backup itself. */
async function isPlainFolder(target: string): Promise<boolean> {
  const stat = await fs.stat(target).catch(() => null);
  return stat !== null && stat.isDirectory() && !target.endsWith('.dir');
}

async function backup(argv: string[]): Promise<number> {
  const { flags, positional } = parseArguments(argv, ['format', 'out'], ['help'], USAGE);
  if (flags.has('help')) return usage();
  if (positional.length) throw new UsageError(`Unexpected "${positional[0]}".\n\n${USAGE}`);
  const format = (flags.get('format') ?? 'custom') as BackupFormat;
  if (!['custom', 'plain', 'directory'].includes(format))
    throw new UsageError(`--format must be custom, plain or directory (not "${String(format)}").`);
  const out = flags.get('out');
  await withApp(async (app, control) => {
    const { backups } = app.services;
    const { target } = app.defaultConnection;
    // --out: a folder (ends with / or exists as one) gets the usual name; anything else is the file itself.
    const resolved = typeof out === 'string' ? path.resolve(out) : null;
    const intoFolder = resolved !== null && (String(out).endsWith('/') || (await isPlainFolder(resolved)));
    const place = resolved === null ? {} : intoFolder ? { folder: resolved } : { outPath: resolved };
    const plan = await backups.plan(target, { format }, { ...place, remembered: false });
    console.log(`Running: ${plan.commandLine}`);
    const entry = await backups.create(target, { kind: 'manual', remembered: false, plan }, control);
    const tables = Object.entries(entry.manifest?.rowCounts ?? {});
    console.log(`Backup written and verified: ${entry.path} (${entry.size} bytes, sha256 ${entry.manifest?.sha256.slice(0, 16)}…)`);
    if (tables.length) console.log(`Rows: ${tables.map(([table, rows]) => `${table} ${rows}`).join(', ')}`);
  });
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const { flags, positional } = parseArguments(argv, ['into'], ['yes', 'no-owner', 'no-safety-backup', 'help'], USAGE);
  if (flags.has('help')) return usage();
  const [file, extra] = positional;
  if (!file || extra) throw new UsageError(`Give exactly one backup file.\n\n${USAGE}`);
  const into = flags.get('into');
  if (into === true) throw new UsageError('--into needs a database name.');
  await withApp(async (app, control) => {
    const { backups } = app.services;
    const { target } = app.defaultConnection;
    const resolved = path.resolve(file);
    // A file outside the backups folder is restored from where it is, through a folder of its own.
    const entry = await backups.entryForPath(resolved);
    const request = {
      name: entry.name,
      folder: path.dirname(resolved),
      target: into ? { mode: 'new' as const, database: into } : { mode: 'replace' as const },
      noOwner: flags.has('no-owner'),
      noPrivileges: flags.has('no-owner'),
    };
    const preflight = await backups.preflight(target, request);
    console.log(
      `File: ${entry.name} (${preflight.file.format}${preflight.file.toolVersion ? `, pg_dump ${preflight.file.toolVersion}` : ''}), ${preflight.file.tables.length} tables`,
    );
    if (preflight.target.replaced.length)
      console.log(`Replaces in ${preflight.target.database}: ${preflight.target.replaced.map((object) => object.name).join(', ')}`);
    for (const problem of preflight.problems)
      console.log(`${problem.blocking ? 'Problem' : 'Note'}: ${problem.message}${problem.fix === 'noOwner' ? ' (pass --no-owner)' : ''}`);
    const blocking = preflight.problems.filter((problem) => problem.blocking);
    if (blocking.length) throw new UsageError(`Not restored: ${blocking.map((problem) => problem.message).join(' ')}`);
    const database = preflight.target.database;
    if (!flags.has('yes') && !(await askToType(database))) {
      throw new UsageError(`Not restored: confirm by typing the database name at the prompt, or pass --yes.`);
    }
    const result = await backups.restore(target, { ...request, safetyBackup: !flags.has('no-safety-backup'), terminateSessions: false }, control);
    if (result.safetyBackup) console.log(`Safety backup: ${result.safetyBackup}`);
    for (const row of result.rowCounts)
      console.log(`  ${row.table}: ${row.actual ?? '?'} rows${row.expected !== null ? ` (backup: ${row.expected})` : ''}`);
    console.log(`Restored into ${result.database}.${result.matches === false ? ' Row counts differ from the backup: check the tables above.' : ''}`);
    if (result.matches === false) process.exitCode = 2;
  });
  return Number(process.exitCode ?? 0);
}

function usage(): number {
  console.log(USAGE);
  return 0;
}

async function main([command, ...rest]: string[]): Promise<number> {
  if (command === 'backup') return backup(rest);
  if (command === 'restore') return restore(rest);
  console.log(USAGE);
  return command === 'help' || command === '--help' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error & { translated?: { message: string } }) => exitWithError(error, environment),
);
