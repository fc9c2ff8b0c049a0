import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ZodType } from 'zod';
import { startApp } from './bootstrap';
import { databaseLabel, exitWithError, parseArguments, UsageError, type ParsedArguments } from './cli-common';
import {
  productExportInputSchema,
  productImportInputSchema,
  userExportInputSchema,
  userImportInputSchema,
  type ImportMode,
  type ImportProblem,
  type ImportReport,
  type ProductExportInput,
  type UserExportInput,
} from '../shared/contract';
import type { ApiError } from '../shared/errors';
import { importOutcome, problemsText } from '../shared/import-outcome';
import { sizeText } from '../shared/size-text';
import type { Connection } from './connections/connection';
import { ConnectionManager } from './connections/manager';
import { ProfileStore } from './connections/profile-store';
import { SecretVault } from './connections/secret-vault';
import { ConnectionsService } from './connections/service';
import { KnownHosts } from './connections/ssh/known-hosts';
import { refuseReadOnly } from './db/read-only';
import { translateError } from './errors/translate';
import { EventBus } from './events/bus';
import { readEnvironment } from './lifecycle/environment';
import { onShutdownSignal } from './lifecycle/shutdown';
import { copyQueryToFile, copyQueryToStream, type ExportQuery } from './transfer/copy-out';
import { productExportQuery } from './transfer/products-export';
import { importProductsCsv } from './transfer/products-import';
import { writeReportCsv } from './transfer/report-csv';
import { userExportQuery } from './transfer/users-export';
import { importUsersCsv } from './transfer/users-import';

const environment = readEnvironment();
/** Aborted by Ctrl+C (or SIGTERM/SIGHUP): the COPY is cancelled on the server, an import rolled back. */
const interrupt = new AbortController();

/** Bad lines printed at the terminal; --report writes every one the import listed. */
const PROBLEMS_SHOWN = 20;

/**
 * Exit codes: 0 done, 1 an error, 2 an import that wrote nothing because of bad lines (rejected,
 * a line that could not be read, or in skip mode every line bad), 130 interrupted.
 */
const EXIT_NOTHING_IMPORTED = 2;
const EXIT_INTERRUPTED = 130;

const USAGE = `Usage:
  npm run -s export -- users|products [--search TEXT] [--match MODE] [--sort COLUMN] [--desc] [--output FILE]
  npm run import -- users|products FILE [--mode reject|skip|update] [--report REPORT.csv]

Both take --connection "<saved connection name>"; otherwise they act on DATABASE_URL when set,
or on the embedded database (stop the app first).

export  writes the table as CSV (header row, RFC 4180, UTF-8), all rows or those the search
        matches, in the list's order: to stdout (npm -s keeps npm's own lines out of it), or
        to --output FILE (written as FILE.partial, renamed when complete).
        --match  users: contains, id, email, domain; products: contains, id (default contains)
        --sort   users: id, email, name, created_at; products: id, name (default id)
import  reads a CSV with a header (users: email,name[,created_at]; products: name and
        optionally owner_email or owner_id; products are always added as new rows).
        --mode reject (default): any bad line and nothing is written.
        --mode skip: the good lines are written, the bad ones left out.
        --mode update (users): all or nothing like reject; a user already there, matched by
        email, gets the file's name (and created_at when given).
        A quote out of place stops the reading at its line: nothing is written in any mode,
        and the file must be fixed. Bad lines are printed (the first ${PROBLEMS_SHOWN});
        --report writes them all as CSV.
Progress goes to stderr. Exit codes: 0 done, 1 error, 2 nothing imported because of bad lines
(rejected, unreadable, or every line bad in skip mode), 130 Ctrl+C.
For a saved connection the terminal cannot read the passwords the desktop app keeps in the OS
secret store: set PGPASSWORD for the command, or put the password in ~/.pgpass.`;

type Table = 'users' | 'products';

function flag(parsed: ParsedArguments, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

function tableOf(name: string | undefined): Table {
  if (name === 'users' || name === 'products') return name;
  throw new UsageError(`${name ? `There is no table "${name}" to transfer` : 'Name the table'}: users or products.\n\n${USAGE}`);
}

/** A schema's answer for what the options said, or the first problem as `--option: reason`. */
function parseOptions<T>(schema: ZodType<T>, input: unknown, optionOf: (field: string) => string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const option = optionOf(issue?.path.map(String).join('.') ?? '');
  throw new UsageError(`${option ? `${option}: ` : ''}${issue?.message ?? 'not valid'}`);
}

/** Progress on stderr: one line rewritten in place at a terminal; a line every few seconds otherwise (logs). */
function progressLine(): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = { text: '', at: 0 };
  return {
    update(text) {
      const now = Date.now();
      if (text === last.text || now - last.at < (tty ? 100 : 2_000)) return;
      last = { text, at: now };
      process.stderr.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
    },
    done() {
      if (tty && last.text) process.stderr.write('\r\x1b[K');
    },
  };
}

/** One bad line for a terminal: `line 7, email: not a valid email address (bob@)`. */
function problemText(problem: ImportProblem): string {
  const where = problem.column === null ? `line ${problem.line}` : `line ${problem.line}, ${problem.column}`;
  return `${where}: ${problem.reason}${problem.value === null ? '' : ` (${problem.value})`}`;
}

const rowsText = (rows: number) => `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`;

/** The database a command acts on, opened; closing it stops what was started (the embedded server, a tunnel). */
interface Opened {
  connection: Connection;
  close(): Promise<void>;
}

/**
 * A saved connection by its name, opened through the app's connections service (the same SSL
 * negotiation, SSH tunnel, ~/.pgpass and version checks as the window). The desktop keeps saved
 * passwords in the OS secret store, which only the desktop app can read; here the password comes
 * from PGPASSWORD or ~/.pgpass.
 */
async function openProfile(name: string): Promise<Opened> {
  const { dataDir, log } = environment;
  const manager = new ConnectionManager(new EventBus(log), log);
  const service = new ConnectionsService({
    manager,
    profiles: ProfileStore.inDataDir(dataDir, log),
    vault: SecretVault.inDataDir(dataDir, null, log),
    knownHosts: KnownHosts.inDataDir(dataDir),
    log,
    openEmbedded: () => Promise.reject(new Error('not a saved connection')),
    runningJobs: () => [],
  });
  const profiles = await service.profiles();
  const folded = name.toLocaleLowerCase();
  const profile = profiles.find((p) => p.name === name) ?? profiles.filter((p) => p.name.toLocaleLowerCase() === folded).at(0);
  if (!profile) {
    const saved = profiles.map((p) => `“${p.name}”`).join(', ');
    throw new UsageError(
      `There is no saved connection named “${name}”. ${saved ? `Saved: ${saved}.` : 'None is saved yet (add one under Connections in the app).'}`,
    );
  }
  const password = process.env.PGPASSWORD;
  try {
    await service.open(profile.id, password ? { password } : {});
  } catch (error) {
    await manager.closeAll();
    throw error;
  }
  return { connection: manager.get(profile.id), close: () => manager.closeAll() };
}

/** The same start as the app's (DATABASE_URL, else the embedded database), without migrating. */
async function openDefault(): Promise<Opened> {
  const app = await startApp({ ...environment, migrateEmbedded: false });
  return { connection: app.defaultConnection, close: () => app.close() };
}

/** A translation that ends "Enter it." (a password is needed): said for a terminal instead. */
function forTerminal(error: ApiError, connection: { kind: string } | null): string {
  if (error.field !== 'secrets.password' || connection?.kind !== 'profile') return error.message;
  const hint =
    'The terminal cannot read passwords the desktop app saved in the OS secret store: set PGPASSWORD for this command (PGPASSWORD=… npm run …), or put the password in ~/.pgpass.';
  return `${error.message.replace(/\s*Enter it\.$/, '')} ${hint}`;
}

/**
 * Opens the database (a saved connection when --connection names one, else DATABASE_URL or the
 * embedded one), runs `work`, and closes it, also on Ctrl+C, which first cancels the work (the
 * query on the server, the import's transaction) and waits for it to clean up.
 */
async function withDatabase(
  connectionName: string | undefined,
  interrupted: string,
  work: (connection: Connection, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const opening = connectionName === undefined ? openDefault() : openProfile(connectionName);
  let closing: Promise<void> | null = null;
  const close = async () => {
    const opened = await opening.catch(() => null);
    await (closing ??= opened?.close() ?? Promise.resolve());
  };
  const running: { work: Promise<void> } = { work: Promise.resolve() };
  onShutdownSignal(
    async () => {
      interrupt.abort(new DOMException('Interrupted', 'AbortError'));
      await running.work.catch(() => undefined);
      await close();
      console.error(interrupted);
    },
    { say: (line) => console.error(line), exitCode: EXIT_INTERRUPTED },
  );
  let connection: Connection | null = null;
  try {
    ({ connection } = await opening);
    const { target } = connection;
    const label = databaseLabel(target);
    // stderr: stdout may be the exported CSV itself.
    console.error(`Database: ${target.profileName ? `“${target.profileName}” (${label})` : label}`);
    running.work = work(connection, interrupt.signal);
    await running.work;
  } catch (error) {
    if (error instanceof UsageError || interrupt.signal.aborted || (error as { code?: string }).code === 'EPIPE') throw error;
    // The same words as the app's: the one translation for the connection at hand.
    const context = connection?.errorContext();
    const translated = translateError(error, {
      ...(context ? { connection: context } : {}),
      ...(environment.logFile ? { logFile: environment.logFile } : {}),
    });
    const kind = connection?.target.kind ?? (connectionName === undefined ? null : 'profile');
    throw Object.assign(new Error(forTerminal(translated, kind ? { kind } : null)), { translated });
  } finally {
    await close();
  }
}

/**
 * `npm run export -- users > users.csv` without -s: npm has already printed its own lines
 * ("> simple-db@0.1.0 export") into the output, above where the CSV would start. On Linux, when
 * that output is a file we can name (not appended to), the export replaces the file with the
 * CSV alone, through FILE.partial like --output. Otherwise the command stops and says how to run it.
 */
function npmBannerInStdout(): { file: string } | { refuse: string } | null {
  const env = process.env;
  if (env.npm_lifecycle_event !== 'export' || env.npm_config_loglevel === 'silent' || process.stdout.isTTY) return null;
  const refuse = {
    refuse:
      'npm printed its own lines ("> simple-db@… export") into the output, where they would spoil the CSV. Run `npm run -s export -- …` (npm -s prints nothing of its own), or write the file with --output FILE.',
  };
  if (process.platform !== 'linux') return refuse;
  try {
    if (!fs.fstatSync(1).isFile()) return refuse;
    const flags = /flags:\s*([0-7]+)/.exec(fs.readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    const O_APPEND = 0o2000;
    if (flags === undefined || (parseInt(flags, 8) & O_APPEND) !== 0) return refuse;
    const file = fs.readlinkSync('/proc/self/fd/1');
    return path.isAbsolute(file) && fs.existsSync(file) ? { file } : refuse;
  } catch {
    return refuse;
  }
}

/** Resolves once what was written to stdout has been handed to the system (before the process exits). */
function flushStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}

async function exportTable(argv: string[]): Promise<number> {
  const parsed = parseArguments(argv, ['search', 'match', 'sort', 'output', 'connection'], ['desc', 'help'], USAGE);
  if (parsed.flags.has('help')) return usage();
  const [tableName, extra] = parsed.positional;
  const table = tableOf(tableName);
  if (extra !== undefined) throw new UsageError(`Unexpected "${extra}": export writes to stdout, or to --output FILE.\n\n${USAGE}`);
  const selection = {
    ...(flag(parsed, 'search') !== undefined ? { search: flag(parsed, 'search') } : {}),
    ...(flag(parsed, 'match') !== undefined ? { match: flag(parsed, 'match') } : {}),
    ...(flag(parsed, 'sort') !== undefined ? { sort: flag(parsed, 'sort') } : {}),
    direction: parsed.flags.has('desc') ? 'desc' : 'asc',
  };
  const option = (field: string) => (field ? `--${field === 'direction' ? 'desc' : field}` : '');
  // The window's own export input: the same defaults and the same checks.
  const query: ExportQuery =
    table === 'users'
      ? userExportQuery(parseOptions(userExportInputSchema, selection satisfies Partial<Record<keyof UserExportInput, unknown>>, option))
      : productExportQuery(parseOptions(productExportInputSchema, selection satisfies Partial<Record<keyof ProductExportInput, unknown>>, option));
  const output = flag(parsed, 'output');
  const banner = output === undefined ? npmBannerInStdout() : null;
  if (banner && 'refuse' in banner) throw new UsageError(banner.refuse);
  const file = output !== undefined ? path.resolve(output) : banner?.file;

  const interrupted = file
    ? 'Interrupted: the export was cancelled on the server; no file was written.'
    : 'Interrupted: the export was cancelled on the server; what reached stdout is incomplete.';
  await withDatabase(flag(parsed, 'connection'), interrupted, async ({ target }, signal) => {
    const progress = progressLine();
    const onProgress = ({ rows, bytes }: { rows: number; bytes: number }) =>
      progress.update(`Exporting ${table}: ${rowsText(rows)}, ${sizeText(bytes)}`);
    try {
      const result = file
        ? await copyQueryToFile(target, query, file, { signal, onProgress })
        : await copyQueryToStream(target, query, process.stdout, { signal, onProgress });
      progress.done();
      if (!file) await flushStdout();
      console.error(`Exported ${rowsText(result.rows)} of ${table} (${sizeText(result.bytes)})${file ? ` to ${file}` : ''}.`);
    } finally {
      progress.done();
    }
  });
  return 0;
}

/**
 * A file `npm run export` wrote without -s starts with npm's own lines, not a CSV header: said
 * as such, rather than "wrong header".
 */
async function refuseNpmBanner(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r').catch(() => null);
  if (!handle) return; // the import says what is wrong with the file
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    const start = buffer.subarray(0, bytesRead).toString('utf8');
    if (/^\r?\n?> [^\n]*@[^\n]* export\r?\n> /.test(start)) {
      throw new UsageError(
        `${file} starts with npm's own lines ("> …@… export"), not the CSV header: it was written by \`npm run export\` without -s. Delete those lines, or export again with \`npm run -s export -- …\` or --output FILE.`,
      );
    }
  } finally {
    await handle.close();
  }
}

/** The bad lines (the first few), then the outcome in the window's words, on stdout. */
function printReport(report: ImportReport, options: { table: Table; mode: ImportMode; reportFile: string | undefined }): void {
  const { reportFile } = options;
  const shown = report.problems.slice(0, PROBLEMS_SHOWN);
  for (const problem of shown) console.error(`  ${problemText(problem)}`);
  const more = report.problemCount - shown.length;
  if (more > 0) console.error(`  … and ${more.toLocaleString('en-US')} more${reportFile ? '' : ' (--report FILE lists them)'}`);
  const outcome = importOutcome(report, { table: options.table, mode: options.mode, audience: 'terminal' });
  console.log(outcome.summary);
  if (outcome.advice) console.log(outcome.advice);
  if (report.problemCount > 0) {
    const listed =
      report.problems.length < report.problemCount ? `; the report lists the first ${report.problems.length.toLocaleString('en-US')}` : '';
    console.log(`${problemsText(report)}${listed}.`);
  }
  if (reportFile) console.log(`Report: ${reportFile}`);
}

async function importTable(argv: string[]): Promise<number> {
  const parsed = parseArguments(argv, ['mode', 'report', 'connection'], ['help'], USAGE);
  if (parsed.flags.has('help')) return usage();
  const [tableName, fileName, extra] = parsed.positional;
  const table = tableOf(tableName);
  if (!fileName || extra !== undefined) throw new UsageError(`Give exactly one CSV file to import.\n\n${USAGE}`);
  const modeOption = flag(parsed, 'mode');
  const mode =
    table === 'users'
      ? parseOptions(userImportInputSchema.shape.mode, modeOption, () => '--mode')
      : parseOptions(productImportInputSchema.shape.mode, modeOption, () => '--mode');
  const file = path.resolve(fileName);
  const reportOption = flag(parsed, 'report');
  const reportFile = reportOption === undefined ? undefined : path.resolve(reportOption);
  await refuseNpmBanner(file);

  let report: ImportReport | null = null;
  const interrupted = 'Interrupted: the import was rolled back; the table is as it was.';
  await withDatabase(flag(parsed, 'connection'), interrupted, async ({ target }, signal) => {
    refuseReadOnly(target, 'import');
    const progress = progressLine();
    const onProgress = ({ rows, bytes }: { rows: number; bytes: number }) =>
      progress.update(`Importing ${table}: ${rowsText(rows)}, ${sizeText(bytes)} read`);
    try {
      report =
        table === 'users'
          ? await importUsersCsv(target, file, { mode, signal, onProgress })
          : // parsed by products' own schema just above: reject or skip
            await importProductsCsv(target, file, { mode: mode as 'reject' | 'skip', signal, onProgress });
    } finally {
      progress.done();
    }
  });
  const done = report as ImportReport | null;
  if (!done) return 1;
  if (reportFile) await writeReportCsv(done, reportFile);
  printReport(done, { table, mode, reportFile });
  return importOutcome(done, { table, mode, audience: 'terminal' }).nothingWritten ? EXIT_NOTHING_IMPORTED : 0;
}

function usage(): number {
  console.log(USAGE);
  return 0;
}

async function main([command, ...rest]: string[]): Promise<number> {
  if (command === 'export') return exportTable(rest);
  if (command === 'import') return importTable(rest);
  console.log(USAGE);
  return command === 'help' || command === '--help' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error & { translated?: ApiError; code?: string }) => {
    // The shutdown handler is closing everything, says what became of the work, and exits 130.
    if (interrupt.signal.aborted) return;
    if (error.code === 'EPIPE') {
      console.error('The program reading the export stopped reading (broken pipe): the export was cancelled.');
      process.exit(1);
    }
    exitWithError(error, environment);
  },
);
