import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { BackupEntry, Preflight, RestoreResult } from '../../shared/contract/backups';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import type { JobControl } from '../jobs/registry';
import { ProcessError, run, type RunningProcess } from '../process/runner';
import {
  countRows,
  databaseExists,
  existingObjects,
  otherSessions,
  serverMajor,
  terminateSessions,
  unknownSettings,
  unusableRoles,
  withClient,
} from './catalog';
import { inspectBackup, type FileInspection } from './inspect';
import { measureBackup } from './manifest';
import { describeCommand, INHERITED_LIBPQ_VARIABLES, libpqConnection, shellQuote, type ToolConnection } from './libpq-env';
import { PlainScriptFilter, ScriptRefused } from './plain-script';
import { parsePsqlError, REPLACE_PREAMBLE } from './restore-script';
import type { Toolbox } from './toolbox';
import { majorOfVersion, type InstalledTool } from './tools';

export interface RestoreChoice {
  entry: BackupEntry;
  /** The connection's target; `database` says which database on its server is restored into. */
  target: ConnectionTarget;
  mode: 'replace' | 'new';
  database: string;
  noOwner: boolean;
  noPrivileges: boolean;
}

/** A wait for a lock longer than this fails the restore (rolled back) instead of hanging it. */
const LOCK_TIMEOUT = '10s';

/**
 * -X: no ~/.psqlrc; stop at the first error; the file arrives on stdin. The transaction is ours,
 * not --single-transaction's: psql would COMMIT whatever it had when its input ended early (a
 * pg_restore that died, Simple DB killed), so BEGIN comes first and COMMIT is written only once
 * the whole file went through. Input that ends without it ends the session: the server rolls back.
 */
function psqlArguments(mode: RestoreChoice['mode']): string[] {
  const args = ['-X', '--quiet', '--no-password', '--set=ON_ERROR_STOP=1', '--command=BEGIN'];
  if (mode === 'replace') args.push(`--command=${REPLACE_PREAMBLE}`);
  args.push('--file=-');
  return args;
}

function restoreConnection(choice: RestoreChoice) {
  const connection = libpqConnection(choice.target, { database: choice.database, applicationName: 'simple-db-restore' });
  connection.env.PGOPTIONS = `-c lock_timeout=${LOCK_TIMEOUT} -c statement_timeout=0 -c client_min_messages=warning`;
  return connection;
}

/** Settings pg_dump writes as a matter of course; skipping them changes nothing about what is restored. */
const SESSION_ONLY_SETTINGS = new Set([
  'transaction_timeout',
  'idle_session_timeout',
  'idle_in_transaction_session_timeout',
  'lock_timeout',
  'statement_timeout',
  'default_table_access_method',
  'row_security',
  'xmloption',
  'check_function_bodies',
  'client_min_messages',
  'standard_conforming_strings',
  'client_encoding',
  'default_toast_compression',
]);

/**
 * Everything the admin reads before a restore: what the file holds, what the target has that
 * will be dropped, who else is connected, and problems found in advance, each saying whether it
 * blocks and which option solves it.
 */
export async function preflightRestore(
  choice: RestoreChoice,
  toolbox: Toolbox,
  signal?: AbortSignal,
): Promise<{ preflight: Preflight; inspection: FileInspection | null; psql: InstalledTool | null }> {
  const problems: Preflight['problems'] = [];
  const { entry } = choice;
  let inspection: FileInspection | null = null;
  // Our own backup: the manifest says exactly what was written; a file that differs is not restored
  // blindly. The checksum is read while the file is inspected.
  const measuring = entry.manifest ? measureBackup(entry.path, signal) : null;
  measuring?.catch(() => undefined);
  const inspecting = inspectBackup(entry, toolbox, signal);
  inspecting.catch(() => undefined);
  if (entry.manifest && measuring) {
    const measured = await measuring;
    if (measured.size !== entry.manifest.size || measured.sha256 !== entry.manifest.sha256) {
      problems.push({
        kind: 'unreadable',
        blocking: true,
        message:
          measured.size < entry.manifest.size
            ? `The file is truncated: ${measured.size} bytes where the backup wrote ${entry.manifest.size}. Choose another backup.`
            : 'The file changed since the backup (its checksum no longer matches the manifest). Verify it, or choose another backup.',
      });
    }
  }
  try {
    inspection = await inspecting;
  } catch (error) {
    if (error instanceof AppError && (error.code === 'TOOL_MISSING' || error.code === 'TOOL_VERSION')) {
      problems.push({ kind: 'tool', blocking: true, message: error.message });
    } else if (error instanceof AppError && error.code === 'VALIDATION') {
      problems.push({ kind: 'unreadable', blocking: true, message: error.message });
    } else if (error instanceof ProcessError) {
      problems.push({
        kind: 'unreadable',
        blocking: true,
        message: `pg_restore cannot read this file: ${error.result.lastLines.slice(-1)[0] ?? 'no reason given'}. It is damaged, truncated or not a PostgreSQL archive.`,
      });
    } else throw error;
  }

  return withClient(choice.target, choice.target.database, async (client) => {
    // Reading the target must not wait behind another session's lock: what cannot be counted at once is shown as unknown.
    await client.query("SELECT set_config('lock_timeout', '2s', false), set_config('statement_timeout', '15s', false)");
    const server = await serverMajor(client);
    let psql: InstalledTool | null = null;
    try {
      psql = await toolbox.pick('psql', server.major);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push({ kind: 'tool', blocking: true, message: error.message });
    }
    const exists = await databaseExists(client, choice.database);
    if (choice.mode === 'new' && exists) {
      problems.push({
        kind: 'database-name',
        blocking: true,
        message: `A database named “${choice.database}” already exists. Choose another name, or restore into it by replacing it.`,
      });
    }
    if (choice.mode === 'replace' && choice.database !== choice.target.database) {
      problems.push({ kind: 'database-name', blocking: true, message: 'Only the connected database can be replaced.' });
    }

    if (inspection?.refused) {
      const refused = inspection.refused;
      problems.push({
        kind: 'refused-command',
        blocking: true,
        message: refused.command.startsWith('\\')
          ? `Line ${refused.line} asks psql to run “${refused.command}” (${refused.text.slice(0, 120)}). pg_dump never writes that: it would run a program or touch files on this machine. Simple DB will not restore this file.`
          : `${refused.message} (“${refused.text.slice(0, 120)}”). pg_dump never writes that, so Simple DB will not restore this file.`,
      });
    }
    if (inspection && !inspection.complete && !inspection.refused) {
      problems.push({
        kind: 'incomplete',
        blocking: true,
        message:
          'The file does not end with pg_dump\'s closing line ("-- PostgreSQL database dump complete"): it is truncated, or was not made by pg_dump. Restoring it could leave tables without their indexes or constraints.',
      });
    }
    if (inspection) {
      const roles = [...new Set([...inspection.summary.roles, ...(inspection.archive?.owners ?? [])])];
      const { missing, notMember } = await unusableRoles(client, roles);
      if ((missing.length || notMember.length) && !(choice.noOwner && choice.noPrivileges)) {
        const parts = [
          missing.length
            ? `role${missing.length > 1 ? 's' : ''} ${missing.map((r) => `“${r}”`).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist here`
            : '',
          notMember.length ? `“${choice.target.user}” cannot act as ${notMember.map((r) => `“${r}”`).join(', ')}` : '',
        ].filter(Boolean);
        problems.push({
          kind: 'missing-roles',
          blocking: true,
          message: `The file gives objects to roles: ${parts.join('; ')}. Restore without ownership and privileges (--no-owner --no-privileges): everything will belong to “${choice.target.user}”.`,
          fix: 'noOwner',
        });
      }
      const unknown = await unknownSettings(client, inspection.summary.settings);
      if (unknown.length) {
        const harmless = unknown.every((name) => SESSION_ONLY_SETTINGS.has(name));
        problems.push({
          kind: 'unknown-settings',
          blocking: !harmless,
          message: harmless
            ? `The file sets ${unknown.join(', ')}, which PostgreSQL ${server.major} does not know (the file was written by pg_dump ${inspection.toolVersion ?? 'of a newer version'}). It only tunes the restoring session, so Simple DB skips that line.`
            : `The file sets ${unknown.join(', ')}, which PostgreSQL ${server.major} does not know: it was made for a newer server (pg_dump ${inspection.toolVersion ?? '?'}). Restore it into PostgreSQL ${majorOfVersion(inspection.toolVersion) ?? 'of that version'} or newer.`,
        });
      }
    }

    const fileTables = new Set(inspection?.tables.map((table) => table.name) ?? []);
    const replaced = (choice.mode === 'replace' && exists ? await existingObjects(client) : []).map((object) => ({
      ...object,
      // Tables are what a file names for sure; other objects come back with the tables they belong to.
      notInBackup: object.kind === 'table' && inspection !== null && !fileTables.has(object.name),
    }));
    const lost = replaced.filter((object) => object.notInBackup).map((object) => object.name);
    const options = entry.manifest?.options;
    if (choice.mode === 'replace' && options?.content === 'data') {
      problems.push({
        kind: 'partial-backup',
        blocking: true,
        message: `This backup holds rows only (it was taken with “data only”), not the tables themselves: replacing “${choice.database}” would drop tables it cannot create again. Restore it into a new database that has the tables, or use a full backup.`,
      });
    } else if (choice.mode === 'replace' && lost.length && options && options.tables.length) {
      problems.push({
        kind: 'partial-backup',
        blocking: true,
        message: `This backup holds only ${options.tables.join(', ')} (taken with “only these tables”). Replacing “${choice.database}” would drop ${lost.join(', ')} and not bring them back. Restore it into a new database instead, or choose a full backup.`,
      });
    } else if (choice.mode === 'replace' && lost.length) {
      problems.push({
        kind: 'partial-backup',
        blocking: false,
        message: `The file does not hold ${lost.join(', ')}: the restore drops ${lost.length > 1 ? 'them' : 'it'} and does not bring ${lost.length > 1 ? 'them' : 'it'} back (${lost.length > 1 ? 'they were' : 'it was'} made after this backup, or the file is partial).`,
      });
    }
    if (choice.mode === 'replace' && options?.content === 'schema') {
      problems.push({
        kind: 'partial-backup',
        blocking: false,
        message: `This backup holds table definitions only (“schema only”): after the restore every table of “${choice.database}” is empty.`,
      });
    }
    const sessions = exists ? await otherSessions(client, choice.database) : [];
    if (sessions.length) {
      const names = [...new Set(sessions.map((session) => session.applicationName))].join(', ');
      problems.push({
        kind: 'sessions',
        blocking: false,
        message: `${sessions.length} other session${sessions.length > 1 ? 's are' : ' is'} connected to “${choice.database}” (${names}). If one holds a table the restore needs, the restore stops after ${LOCK_TIMEOUT} and changes nothing; end them first to be sure.`,
        fix: 'terminateSessions',
      });
    }

    const connection = restoreConnection(choice);
    const preflight: Preflight = {
      file: {
        name: entry.name,
        format: entry.format,
        size: entry.size,
        sourceDatabase: inspection?.sourceDatabase ?? null,
        sourceServerVersion: inspection?.sourceServerVersion ?? null,
        toolVersion: inspection?.toolVersion ?? null,
        hasManifest: entry.manifest !== null,
        tables: inspection?.tables ?? [],
      },
      target: { database: choice.database, exists, serverVersion: server.version, replaced, sessions },
      problems,
      confirmText: choice.database,
      commandLine: psql ? restoreCommandLine(choice, inspection, psql, connection) : '',
    };
    return { preflight, inspection, psql };
  });
}

/**
 * What the restore runs, for people: the archive through pg_restore, then (after Simple DB's line
 * filter) psql in one transaction; the drop step is named, not spelled out; the password masked.
 */
function restoreCommandLine(choice: RestoreChoice, inspection: FileInspection | null, psql: InstalledTool, connection: ToolConnection): string {
  const psqlPart = describeCommand(
    psql.path,
    psqlArguments(choice.mode).map((arg) => (arg === `--command=${REPLACE_PREAMBLE}` ? '--command=<drop what is there now>' : arg)),
    connection,
  );
  const source = inspection?.pgRestore
    ? `${describeCommand(inspection.pgRestore.path, pgRestoreArguments(choice, choice.entry.path), { env: {}, secretEnv: {} })} | `
    : `cat ${shellQuote(choice.entry.path)} | `;
  return `${source}<Simple DB's line filter> | ${psqlPart}  # then COMMIT once the whole file went through`;
}

/** psql learned `\\restrict` in 13.22, 14.19, 15.14, 16.10 and 17.6 (every 18 has it); an older one would stop at that line. */
export function understandsRestrict(version: string): boolean {
  const [major = 0, minor = 0] = version.split(/[^\d]+/).map(Number);
  const firstMinor: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };
  if (major >= 18) return true;
  const needed = firstMinor[major];
  return needed !== undefined && minor >= needed;
}

function pgRestoreArguments(choice: RestoreChoice, file: string): string[] {
  const args = ['--file=-'];
  if (choice.noOwner) args.push('--no-owner');
  if (choice.noPrivileges) args.push('--no-privileges');
  args.push(file);
  return args;
}

/** psql went away: nothing more can be written to it (its exit status says why). */
class PsqlGone extends Error {}

/**
 * Writes to psql's stdin, waiting while its pipe is full. A pipe whose reader has exited never
 * drains, so the wait also ends when psql does.
 */
async function write(stream: Writable, text: string, psqlExited: Promise<unknown>): Promise<void> {
  if (!text) return;
  if (stream.destroyed || stream.writableEnded) throw new PsqlGone();
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', drained);
      stream.off('error', failed);
    };
    const drained = () => {
      cleanup();
      resolve();
    };
    const failed = () => {
      cleanup();
      reject(new PsqlGone());
    };
    stream.once('drain', drained);
    stream.once('error', failed);
    void psqlExited.then(failed, failed);
  });
}

export interface RestoreRun {
  choice: RestoreChoice;
  terminateSessions: boolean;
  /** Takes the safety backup of the target (returns its name), or null when the admin turned it off. */
  safetyBackup: (() => Promise<string>) | null;
  toolbox: Toolbox;
  log: (message: string) => void;
}

/**
 * The restore itself: in one transaction (psql --single-transaction, ON_ERROR_STOP), the target's
 * objects dropped first (replace) or a new database created (new), then the file, filtered line
 * by line on its way to psql. A failure or cancel rolls everything back (a new database is
 * dropped again); afterwards the rows are counted and compared with what the file said.
 */
export async function runRestore(request: RestoreRun, control: JobControl): Promise<RestoreResult> {
  const { choice, toolbox } = request;
  const { signal } = control;
  control.progress({ phase: 'Checking the file and the target', done: 0, total: null, unit: 'steps' });
  const { preflight, inspection, psql } = await preflightRestore(choice, toolbox, signal);
  const blocking = preflight.problems.filter((problem) => problem.blocking);
  if (blocking.length || !inspection || !psql) {
    throw new AppError('VALIDATION', blocking.map((problem) => problem.message).join(' ') || 'The file cannot be restored.', { field: 'name' });
  }
  if (request.terminateSessions && preflight.target.sessions.length) {
    const { ended, refused } = await withClient(choice.target, choice.target.database, (client) =>
      terminateSessions(
        client,
        preflight.target.sessions.map((session) => session.pid),
      ),
    );
    request.log(`restore: ended ${ended} of ${preflight.target.sessions.length} sessions on ${choice.database}`);
    if (refused.length) {
      const names = preflight.target.sessions
        .filter((session) => refused.includes(session.pid))
        .map((session) => `${session.applicationName} (${session.user || 'another role'})`);
      throw new AppError(
        'PERMISSION',
        `“${choice.target.user}” may not end ${refused.length > 1 ? 'these sessions' : 'this session'} of another role: ${names.join(', ')}. Ask a superuser to end ${refused.length > 1 ? 'them' : 'it'} (or grant pg_signal_backend), then restore again. Nothing was changed.`,
      );
    }
  }

  let safetyBackup: string | null = null;
  if (choice.mode === 'replace' && request.safetyBackup) {
    control.progress({ phase: 'Taking a safety backup of the target', done: 0, total: null, unit: 'steps' });
    safetyBackup = await request.safetyBackup();
  }
  signal.throwIfAborted();

  let created = false;
  if (choice.mode === 'new') {
    await withClient(choice.target, choice.target.database, (client) =>
      client.query(`CREATE DATABASE ${client.escapeIdentifier(choice.database)} TEMPLATE template0`),
    );
    created = true;
  }
  try {
    await pipeIntoPsql(request, inspection, psql, preflight, control);
  } catch (error) {
    if (created) {
      await withClient(choice.target, choice.target.database, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(choice.database)}`),
      ).catch((dropError: Error) => request.log(`restore: could not drop the half-made database ${choice.database}: ${dropError.message}`));
    }
    throw error;
  }

  control.progress({ phase: 'Counting rows', done: 0, total: null, unit: 'steps' });
  const expected = new Map(inspection.tables.map((table) => [table.name, table.rows]));
  const actual = await withClient(choice.target, choice.database, (client) =>
    countRows(client, [...expected.keys()]).catch((): Record<string, number> => ({})),
  );
  const rowCounts = [...expected].map(([table, rows]) => ({ table, expected: rows, actual: actual[table] ?? null }));
  const comparable = rowCounts.filter((row) => row.expected !== null);
  return {
    database: choice.database,
    safetyBackup,
    rowCounts,
    matches: comparable.length ? comparable.every((row) => row.expected === row.actual) : null,
  };
}

async function pipeIntoPsql(
  request: RestoreRun,
  inspection: FileInspection,
  psql: InstalledTool,
  preflight: Preflight,
  control: JobControl,
): Promise<void> {
  const { choice } = request;
  const { signal } = control;
  const unknown = preflight.problems.some((problem) => problem.kind === 'unknown-settings')
    ? new Set(inspection.summary.settings.filter((name) => SESSION_ONLY_SETTINGS.has(name)))
    : new Set<string>();
  const filter = new PlainScriptFilter({
    dropOwnership: choice.noOwner,
    dropPrivileges: choice.noPrivileges,
    skipSettings: unknown,
    keepRestrict: understandsRestrict(psql.version),
  });
  const connection = restoreConnection(choice);
  request.log(`restore: ${preflight.commandLine}`);

  let source: RunningProcess | null = null;
  if (choice.entry.format !== 'plain') {
    source = run({
      command: inspection.pgRestore!.path,
      args: pgRestoreArguments(choice, choice.entry.path),
      env: { LC_ALL: 'C' },
      dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
      stdout: 'stream',
      signal,
    });
  }
  const target = run({
    command: psql.path,
    args: psqlArguments(choice.mode),
    env: connection.env,
    secretEnv: connection.secretEnv,
    dropInheritedEnv: INHERITED_LIBPQ_VARIABLES,
    stdin: 'pipe',
    keepLines: 40,
    signal,
  });
  const stdin = target.child.stdin!;
  stdin.on('error', () => undefined); // psql stopping early closes the pipe: its exit says why
  const totalRows = inspection.tables.reduce((sum, table) => sum + (table.rows ?? 0), 0);
  const totalBytes = choice.entry.size;
  let bytes = 0;
  const report = () => {
    const rows = Object.values(filter.summary.rowCounts).reduce((sum, count) => sum + count, 0);
    const current = filter.summary.tables.at(-1);
    if (choice.entry.format === 'plain')
      control.progress({
        phase: current ? `Restoring ${current}` : 'Restoring definitions',
        done: Math.min(bytes, totalBytes),
        total: totalBytes,
        unit: 'bytes',
        message: `${rows.toLocaleString('en-US')} rows`,
      });
    else control.progress({ phase: current ? `Restoring ${current}` : 'Restoring definitions', done: rows, total: totalRows || null, unit: 'rows' });
  };

  let refused: ScriptRefused | null = null;
  let sourceFailed = false;
  let committed = false;
  const psqlExited = target.done;
  // psql stopping (an error) leaves pg_restore writing into a full pipe: stop it too.
  void psqlExited.then(
    () => source?.stop(),
    () => source?.stop(),
  );
  const feeding = (async () => {
    const input = source ? source.stdout! : createReadStream(choice.entry.path);
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of input) {
        bytes += (chunk as Buffer).length;
        await write(stdin, filter.push(decoder.decode(chunk as Buffer, { stream: true })), psqlExited);
        report();
      }
      await write(stdin, filter.push(decoder.decode()) + filter.end(), psqlExited);
      // Only a whole file is committed: the archive read to its end, the trailer pg_dump writes seen.
      const sourceResult = source ? await source.done : null;
      sourceFailed = sourceResult !== null && sourceResult.code !== 0;
      if (sourceFailed || !filter.summary.complete || signal.aborted) {
        await target.stop();
        return;
      }
      await write(stdin, 'COMMIT;\n', psqlExited);
      committed = true;
      stdin.end();
    } catch (error) {
      // Nothing more reaches psql; stopping it before COMMIT rolls everything back.
      await target.stop();
      if (error instanceof ScriptRefused) refused = error;
      else if (!(error instanceof PsqlGone) && !signal.aborted) throw error;
    }
  })();
  const [result] = await Promise.all([target.done, feeding]);
  const sourceResult = source ? await source.done : null;
  signal.throwIfAborted();
  if (refused) {
    const { line, command } = refused as ScriptRefused;
    throw new AppError(
      'VALIDATION',
      `Refused line ${line} (“${command}”): ${(refused as ScriptRefused).message.replace(/^Line \d+: /, '')}. Nothing was restored.`,
      { field: 'name' },
    );
  }
  const unchanged = choice.mode === 'new' ? `the new database “${choice.database}” was removed again` : `“${choice.database}” is exactly as it was`;
  // psql's own words come first: when it failed, pg_restore dying of a closed pipe is not the archive's fault.
  const failure = result.code !== 0 ? parsePsqlError(result.lastLines) : null;
  if (result.code !== 0 && !failure && !result.stopped) throw new ProcessError('psql', result);
  if (failure) {
    const where =
      failure.line !== null
        ? choice.entry.format === 'plain'
          ? `at line ${failure.line} of ${choice.entry.name}`
          : `at line ${failure.line} of the archive's SQL`
        : 'before the file began';
    if (/lock timeout/i.test(failure.message)) {
      throw new AppError(
        'TIMEOUT',
        `Another session holds a table of “${choice.database}” and did not let go within ${LOCK_TIMEOUT}, so the restore stopped instead of waiting. Everything was rolled back: ${unchanged}. End those sessions (“End these sessions first”) or wait for their work to finish, then try again.`,
      );
    }
    const statement = failure.context.find((line) => line.trim().startsWith('LINE'))?.trim();
    throw new AppError(
      'VALIDATION',
      `The restore stopped ${where}: ${failure.message}${statement ? ` (${statement})` : ''}. Everything was rolled back: ${unchanged}.`,
      { field: 'name' },
    );
  }
  if (sourceFailed && sourceResult) {
    const said =
      sourceResult.lastLines
        .filter((line) => /error/i.test(line))
        .slice(-1)[0]
        ?.replace(/^pg_restore:\s*(error:\s*)?/, '') ?? 'no reason given';
    throw new AppError(
      'VALIDATION',
      `pg_restore could not read the whole archive (${said}): it is truncated or damaged. Everything was rolled back: ${unchanged}.`,
      { field: 'name' },
    );
  }
  if (!committed) {
    throw new AppError('VALIDATION', `The file ended before pg_dump's closing line: it is truncated. Nothing was committed: ${unchanged}.`, {
      field: 'name',
    });
  }
}
