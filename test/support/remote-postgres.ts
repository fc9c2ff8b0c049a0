/**
 * A second, "remote" PostgreSQL for tests: Debian's postgresql-15 server binaries, a cluster of its own in a
 * temp folder, password (scram-sha-256) authentication, optionally SSL with certificates made by the test.
 * It listens on 127.0.0.1 only, on a free port kept across stop()/start().
 *
 * pg_hba.conf (first matching line wins), as written by startRemotePostgres:
 *
 *   local     all all                        scram-sha-256   the helpers (query, createRole, ...) over the Unix socket
 *   <options.hbaLines>                                        yours, before all of the lines below
 *   -- with SSL only:
 *   hostnossl all ssl_only           127.0.0.1/32 reject      ssl_only: REQUIRES SSL; without it the server answers
 *   hostssl   all ssl_only           127.0.0.1/32 scram-sha-256       "pg_hba.conf rejects connection ... no encryption" (28000)
 *   hostnossl all cert_user          127.0.0.1/32 reject      cert_user: SSL and a CLIENT CERTIFICATE, no password: the
 *   hostssl   all cert_user          127.0.0.1/32 cert                `cert` method (clientcert=verify-full: the CN of
 *                                                                       certs.clientCert is cert_user)
 *   hostnossl all cert_password_user 127.0.0.1/32 reject      cert_password_user: SSL, a client certificate signed by the
 *   hostssl   all cert_password_user 127.0.0.1/32 scram-sha-256 clientcert=verify-ca   test CA AND the password
 *   -- everyone else (postgres, roles made with createRole):
 *   host      all all                127.0.0.1/32 scram-sha-256   password; with or without SSL (SSL if the client asks)
 *   -- or, with requireClientCert:
 *   hostssl   all all                127.0.0.1/32 scram-sha-256 clientcert=verify-ca   password + client certificate
 *   hostnossl all all                127.0.0.1/32 reject
 *
 * The SSL roles exist (made at start) when ssl is on; `roles` gives their names and passwords. They log in to
 * the `postgres` database (pg's default database is the user name, so pass `database: 'postgres'`).
 *
 * As root (CI), PostgreSQL runs as the `postgres` system account (as the app's embedded server does): the data
 * directory, socket folder and log belong to it, and the temp folder is under os.tmpdir(), reachable by it.
 *
 * Cleanup: destroy() stops the server and deletes its folder. If a test run dies first, a detached watchdog
 * process (one per server) stops the server and deletes the folder once the test process is gone (vitest ends
 * workers with SIGTERM/SIGKILL, which run no 'exit' handler); an 'exit' handler does the same on a normal exit;
 * and the next startRemotePostgres removes any leftover whose owner process (owner.pid) no longer exists.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from '../../src/main/embedded/free-port';
import { resolveRunAs, type RunAs } from '../../src/main/embedded/run-as';
import { makeCertificates, type TestCertificates } from './certs';

const execFileAsync = promisify(execFile);

const BIN_DIR = '/usr/lib/postgresql/15/bin';
const BIN = { initdb: path.join(BIN_DIR, 'initdb'), pgCtl: path.join(BIN_DIR, 'pg_ctl'), postgres: path.join(BIN_DIR, 'postgres') };
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
const DIR_PREFIX = 'simple-db-remote-pg-';
const OWNER_FILE = 'owner.pid';
const READY_TIMEOUT_MS = 30_000;

/** Debian's postgresql-15 server binaries are installed: tests use `describe.skipIf(!remotePostgresAvailable)`. */
export const remotePostgresAvailable = Object.values(BIN).every((file) => existsSync(file));

/** The roles pg_hba.conf treats specially when SSL is on (see the comment at the top of this file). */
export const SSL_ONLY_ROLE = 'ssl_only';
export const CERT_ROLE = 'cert_user';
export const CERT_PASSWORD_ROLE = 'cert_password_user';

export interface RemotePostgresOptions {
  /** SSL on, with certificates from makeCertificates (implied by requireClientCert). */
  ssl?: boolean;
  /** Every TCP login (other than the special roles) needs SSL, a client certificate signed by the test CA and the password. */
  requireClientCert?: boolean;
  /** Extra pg_hba.conf lines, placed before the default ones (so they win). */
  hbaLines?: string[];
  /** subjectAltName of the server certificate (default DNS:localhost, IP:127.0.0.1); e.g. ['DNS:localhost'] to make 127.0.0.1 a name mismatch. */
  serverAltNames?: string[];
}

export interface RemoteRoleOptions {
  superuser?: boolean;
  createdb?: boolean;
  createrole?: boolean;
  /** Default true. */
  login?: boolean;
}

export interface RemotePostgres {
  host: '127.0.0.1';
  port: number;
  superuser: 'postgres';
  superuserPassword: string;
  /** The certificate files (when SSL is on). */
  certs?: TestCertificates;
  /** The SSL roles of pg_hba.conf and their passwords (when SSL is on). */
  roles?: {
    /** Refused without SSL ("no encryption"); password login over SSL. */
    sslOnly: { user: string; password: string };
    /** SSL + client certificate (certs.clientCert/clientKey), no password (`cert` method). */
    certUser: { user: string };
    /** SSL + a client certificate signed by the test CA + the password. */
    certPasswordUser: { user: string; password: string };
  };
  /** The cluster (PGDATA). */
  dataDir: string;
  /** The folder of the Unix socket the helpers use. */
  socketDir: string;
  /** The server's log file (pg_ctl -l). */
  logFile: string;
  /** Fast shutdown: open sessions are ended, new connections get ECONNREFUSED. */
  stop(): Promise<void>;
  /** Starts it again, on the same port, and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes everything (certificates too). */
  destroy(): Promise<void>;
  /** CREATE ROLE name LOGIN PASSWORD password (null: no password). */
  createRole(name: string, password: string | null, options?: RemoteRoleOptions): Promise<void>;
  createDatabase(name: string, owner?: string): Promise<void>;
  /** A query as the superuser, over the Unix socket (not affected by pg_hba.conf's TCP lines). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

interface Cluster {
  base: string;
  dataDir: string;
  runAs: RunAs | null;
  /** The watchdog process (see startWatchdog). */
  watchdog?: number;
}

/** Clusters of this process that are not destroyed yet: stopped (best effort) if the process exits first. */
const live = new Set<Cluster>();
let exitHookInstalled = false;
let sweptStale = false;

function processOptions(runAs: RunAs | null, cwd: string): { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number } {
  return {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' },
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  };
}

async function runServerTool(command: string, args: string[], runAs: RunAs | null, cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { ...processOptions(runAs, cwd), timeout: 120_000, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${path.basename(command)} ${args[0]} failed: ${(error as Error).message}\n${stdout}${stderr}`, { cause: error });
  }
}

/** Immediate shutdown and removal, synchronously: for process exit and for leftovers of crashed runs. */
function killAndRemoveSync(cluster: Cluster): void {
  if (existsSync(path.join(cluster.dataDir, 'postmaster.pid'))) {
    try {
      execFileSync(BIN.pgCtl, ['stop', '-D', cluster.dataDir, '-m', 'immediate', '-w', '-t', '20'], {
        ...processOptions(cluster.runAs, os.tmpdir()),
        stdio: 'ignore',
        timeout: 30_000,
      });
    } catch {
      // Not running, or it would not stop: nothing more to do at exit.
    }
  }
  rmSync(cluster.base, { recursive: true, force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cluster of live) {
      killAndRemoveSync(cluster);
      stopWatchdog(cluster);
    }
    live.clear();
  });
}

/**
 * Vitest ends its workers with SIGTERM (then SIGKILL), which runs no 'exit' handler: a small detached Node
 * process watches this one and, once it is gone, stops the server (immediate shutdown) and deletes the folder.
 */
const WATCHDOG_SCRIPT = `
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const [owner, pgCtl, dataDir, base, uid, gid] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { return error.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (alive(Number(owner))) return;
  clearInterval(timer);
  const as = uid ? { uid: Number(uid), gid: Number(gid) } : {};
  try {
    execFileSync(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '20'], { stdio: 'ignore', timeout: 30000, cwd: '/', env: { LC_ALL: 'C' }, ...as });
  } catch {}
  fs.rmSync(base, { recursive: true, force: true });
}, 500);
`;

function startWatchdog(cluster: Cluster): void {
  const args = [String(process.pid), BIN.pgCtl, cluster.dataDir, cluster.base, String(cluster.runAs?.uid ?? ''), String(cluster.runAs?.gid ?? '')];
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, ...args], { detached: true, stdio: 'ignore', cwd: '/' });
  watchdog.on('error', () => undefined); // best effort
  watchdog.unref();
  cluster.watchdog = watchdog.pid;
}

function stopWatchdog(cluster: Cluster): void {
  if (cluster.watchdog === undefined) return;
  try {
    process.kill(cluster.watchdog, 'SIGTERM');
  } catch {
    // already gone
  }
  cluster.watchdog = undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Servers left by test runs that died without their exit hook (SIGKILL): their owner process is gone. */
function sweepStaleClusters(runAs: RunAs | null): void {
  if (sweptStale) return;
  sweptStale = true;
  let entries: string[];
  try {
    entries = readdirSync(os.tmpdir()).filter((entry) => entry.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const base = path.join(os.tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(base, OWNER_FILE), 'utf8').trim());
    } catch {
      continue; // not ours, or being set up right now
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    killAndRemoveSync({ base, dataDir: path.join(base, 'data'), runAs });
  }
}

async function ownedDir(dir: string, runAs: RunAs | null): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
  if (runAs) await fs.chown(dir, runAs.uid, runAs.gid);
}

function quoteConf(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function hbaConf(options: RemotePostgresOptions, ssl: boolean): string {
  const net = `${HOST}/32`;
  const lines = ['# Written by test/support/remote-postgres.ts (see the comment there).', `local all all scram-sha-256`, ...(options.hbaLines ?? [])];
  if (ssl) {
    lines.push(
      `hostnossl all ${SSL_ONLY_ROLE} ${net} reject`,
      `hostssl all ${SSL_ONLY_ROLE} ${net} scram-sha-256`,
      `hostnossl all ${CERT_ROLE} ${net} reject`,
      `hostssl all ${CERT_ROLE} ${net} cert`,
      `hostnossl all ${CERT_PASSWORD_ROLE} ${net} reject`,
      `hostssl all ${CERT_PASSWORD_ROLE} ${net} scram-sha-256 clientcert=verify-ca`,
    );
  }
  if (options.requireClientCert) lines.push(`hostssl all all ${net} scram-sha-256 clientcert=verify-ca`, `hostnossl all all ${net} reject`);
  else lines.push(`host all all ${net} scram-sha-256`);
  return `${lines.join('\n')}\n`;
}

function serverConf(port: number, socketDir: string, certs: TestCertificates | undefined): string {
  const settings: Record<string, string> = {
    listen_addresses: quoteConf(HOST),
    port: String(port),
    unix_socket_directories: quoteConf(socketDir),
    lc_messages: quoteConf('C'),
    max_connections: '50',
    // A throwaway cluster: durability buys nothing.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  };
  if (certs) {
    Object.assign(settings, {
      ssl: 'on',
      ssl_cert_file: quoteConf(certs.serverCert),
      ssl_key_file: quoteConf(certs.serverKey),
      ssl_ca_file: quoteConf(certs.caCert),
    });
  }
  return `${Object.entries(settings)
    .map(([name, value]) => `${name} = ${value}`)
    .join('\n')}\n`;
}

async function lastLog(logFile: string): Promise<string> {
  const text = await fs.readFile(logFile, 'utf8').catch(() => '');
  return text.split('\n').slice(-30).join('\n');
}

/** Starts a fresh cluster (initdb, config, pg_ctl start) and waits until it accepts connections. */
export async function startRemotePostgres(options: RemotePostgresOptions = {}): Promise<RemotePostgres> {
  if (!remotePostgresAvailable) throw new Error(`startRemotePostgres: PostgreSQL 15 server binaries not found in ${BIN_DIR}`);
  const ssl = Boolean(options.ssl || options.requireClientCert);
  const runAs = await resolveRunAs();
  sweepStaleClusters(runAs);
  installExitHook();

  const base = await fs.mkdtemp(path.join(os.tmpdir(), DIR_PREFIX));
  await fs.writeFile(path.join(base, OWNER_FILE), `${process.pid}\n`);
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'run');
  const logFile = path.join(base, 'server.log');
  const cluster: Cluster = { base, dataDir, runAs };
  live.add(cluster);
  startWatchdog(cluster);

  const superuserPassword = crypto.randomBytes(18).toString('base64url');
  let running = false;
  let port = 0;

  const destroy = async (): Promise<void> => {
    if (running) {
      await runServerTool(BIN.pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60', '-s'], runAs, socketDir).catch(() =>
        runServerTool(BIN.pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30', '-s'], runAs, socketDir).catch(() => ''),
      );
      running = false;
    }
    live.delete(cluster);
    await fs.rm(base, { recursive: true, force: true });
    stopWatchdog(cluster);
  };

  try {
    // As root the server's account passes through the base folder (0711) and owns what it writes.
    await fs.chmod(base, runAs ? 0o711 : 0o700);
    await ownedDir(dataDir, runAs);
    await ownedDir(socketDir, runAs);
    await fs.writeFile(logFile, '', { mode: 0o600 });
    if (runAs) await fs.chown(logFile, runAs.uid, runAs.gid);

    const passwordFile = path.join(socketDir, 'pwfile');
    await fs.writeFile(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
    if (runAs) await fs.chown(passwordFile, runAs.uid, runAs.gid);
    try {
      await runServerTool(
        BIN.initdb,
        [
          `--pgdata=${dataDir}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          '--no-sync',
          '--no-instructions',
        ],
        runAs,
        socketDir,
      );
    } finally {
      await fs.rm(passwordFile, { force: true });
    }

    const certs = ssl
      ? await makeCertificates(path.join(base, 'certs'), { clientUser: CERT_ROLE, serverAltNames: options.serverAltNames, serverAccount: runAs })
      : undefined;

    await fs.writeFile(path.join(dataDir, 'pg_hba.conf'), hbaConf(options, ssl), { mode: 0o600 });
    if (runAs) await fs.chown(path.join(dataDir, 'pg_hba.conf'), runAs.uid, runAs.gid);
    await fs.appendFile(path.join(dataDir, 'postgresql.conf'), "\n# test/support/remote-postgres.ts\ninclude = 'remote-test.conf'\n");

    const adminConfig = (): pg.ClientConfig => ({
      host: socketDir,
      port,
      user: SUPERUSER,
      password: superuserPassword,
      database: 'postgres',
      connectionTimeoutMillis: 5_000,
    });

    const query = async <R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> => {
      const client = new pg.Client(adminConfig());
      await client.connect();
      try {
        return await client.query<R>(sql, params);
      } finally {
        await client.end().catch(() => undefined);
      }
    };

    /** pg_ctl -w waits for postmaster.pid to say "ready"; then a real login, retried until it works. */
    const waitUntilReady = async (): Promise<void> => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        try {
          await query('SELECT 1');
          return;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(`The remote test PostgreSQL did not accept connections: ${(error as Error).message}\n${await lastLog(logFile)}`, {
              cause: error,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };

    const pgCtlStart = async (): Promise<void> => {
      try {
        await runServerTool(BIN.pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-s'], runAs, socketDir);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await lastLog(logFile)}`, { cause: error });
      }
      running = true;
      await waitUntilReady();
    };

    // A free port can be taken between asking and binding: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await findFreePort(HOST);
      await fs.writeFile(path.join(dataDir, 'remote-test.conf'), serverConf(port, socketDir, certs));
      try {
        await pgCtlStart();
        break;
      } catch (error) {
        if (attempt >= 3 || !/could not bind|address already in use/i.test((error as Error).message)) throw error;
      }
    }

    const createRole = async (name: string, password: string | null, roleOptions: RemoteRoleOptions = {}): Promise<void> => {
      const client = new pg.Client(adminConfig());
      await client.connect();
      try {
        const flags = [
          roleOptions.login === false ? 'NOLOGIN' : 'LOGIN',
          roleOptions.superuser ? 'SUPERUSER' : '',
          roleOptions.createdb ? 'CREATEDB' : '',
          roleOptions.createrole ? 'CREATEROLE' : '',
          password === null ? 'PASSWORD NULL' : `PASSWORD ${client.escapeLiteral(password)}`,
        ].filter(Boolean);
        await client.query(`CREATE ROLE ${client.escapeIdentifier(name)} ${flags.join(' ')}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    };

    const createDatabase = async (name: string, owner?: string): Promise<void> => {
      const client = new pg.Client(adminConfig());
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${owner ? ` OWNER ${client.escapeIdentifier(owner)}` : ''}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    };

    let roles: RemotePostgres['roles'];
    if (ssl) {
      roles = {
        sslOnly: { user: SSL_ONLY_ROLE, password: crypto.randomBytes(12).toString('base64url') },
        certUser: { user: CERT_ROLE },
        certPasswordUser: { user: CERT_PASSWORD_ROLE, password: crypto.randomBytes(12).toString('base64url') },
      };
      await createRole(roles.sslOnly.user, roles.sslOnly.password);
      await createRole(roles.certUser.user, null);
      await createRole(roles.certPasswordUser.user, roles.certPasswordUser.password);
    }

    return {
      host: HOST,
      port,
      superuser: SUPERUSER,
      superuserPassword,
      ...(certs ? { certs } : {}),
      ...(roles ? { roles } : {}),
      dataDir,
      socketDir,
      logFile,
      async stop() {
        if (!running) return;
        await runServerTool(BIN.pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60', '-s'], runAs, socketDir);
        running = false;
      },
      async start() {
        if (running) return;
        await pgCtlStart();
      },
      destroy,
      createRole,
      createDatabase,
      query,
    };
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error;
  }
}
