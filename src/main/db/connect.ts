import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Sequelize } from 'sequelize';
import { AppError } from '../errors/app-error';
import pg from 'pg';
import type { Logger } from '../log/logger';
import { defineModels, type Models } from './models';
import { socketAddress, type ConnectionTarget } from './target';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  target: ConnectionTarget;
  close(): Promise<void>;
}

/** Pool settings, explicit so an admin (and a reviewer) can see what the app holds open. */
const POOL = {
  max: 10,
  min: 0,
  acquireMs: 10_000,
  idleMs: 10_000,
  connectMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionMs: 60_000,
};

type SslOption = {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  /** The name the certificate must carry, when the socket goes to a tunnel's 127.0.0.1. */
  servername?: string;
  checkServerIdentity?: () => undefined;
};

/** libpq's `options`: every session of a read-only connection refuses writes, whatever the caller does. */
export const READ_ONLY_OPTIONS = '-c default_transaction_read_only=on';

/** libpq's default CA file for verify-ca / verify-full when none is named. */
function defaultRootCert(): string | undefined {
  const file = path.join(os.homedir(), '.postgresql', 'root.crt');
  return fs.existsSync(file) ? file : undefined;
}

/**
 * libpq's sslmode as node-postgres options. `prefer` and `allow` are encrypted when the server
 * offered SSL as the connection was opened (see profile-target.ts), else plain. As in libpq,
 * `require` with a CA file verifies the chain like verify-ca, and the verify modes without one use
 * ~/.postgresql/root.crt. `sslrootcert=system` means the system's CAs (libpq 16).
 */
export function sslOption(target: ConnectionTarget): SslOption | undefined {
  if (target.sslMode === undefined || target.sslMode === 'disable') return undefined;
  if (target.sslMode === 'allow' || target.sslMode === 'prefer') {
    return target.sslAvailable ? sslOption({ ...target, sslMode: 'require', sslRootCert: undefined }) : undefined;
  }
  if (target.sslMode === 'require' && target.sslRootCert) return sslOption({ ...target, sslMode: 'verify-ca' });
  const rootCert = target.sslRootCert ?? (target.sslMode === 'require' ? undefined : defaultRootCert());
  if (target.sslMode === 'verify-ca' && (rootCert === undefined || rootCert === 'system')) {
    // Any certificate from any public CA would pass a chain check without a name check.
    throw new AppError(
      'VALIDATION',
      'verify-ca checks the server’s certificate against a CA you name, but none is set (and ~/.postgresql/root.crt does not exist). Set the CA certificate file, or use verify-full.',
      { field: target.kind === 'url' ? 'DATABASE_URL' : 'profile.ssl.rootCert' },
    );
  }
  const files = {
    ...(rootCert && rootCert !== 'system' ? { ca: readSslFile(target, rootCert, 'sslrootcert') } : {}),
    ...(target.sslCert ? { cert: readSslFile(target, target.sslCert, 'sslcert') } : {}),
    ...(target.sslKey ? { key: readSslFile(target, target.sslKey, 'sslkey') } : {}),
    // Through a tunnel the socket goes to 127.0.0.1: the certificate must still name the real host.
    ...(target.via && !net.isIP(target.host) ? { servername: target.host } : {}),
  };
  switch (target.sslMode) {
    case 'require':
      return { rejectUnauthorized: false, ...files }; // encrypted, server not verified
    case 'verify-ca':
      // The certificate must chain to a trusted CA; the host name is not checked (libpq's rule).
      return { rejectUnauthorized: true, ...files, checkServerIdentity: () => undefined };
    case 'verify-full':
      return {
        rejectUnauthorized: true,
        ...files,
        // Checked against the name the admin gave, also when the socket goes through a tunnel.
        ...(target.via ? { checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(target.host, cert) } : {}),
      } as SslOption;
  }
}

/**
 * A client of its own, outside the pool (a cancel, a snapshot held while pg_dump runs): the same
 * server, user and SSL rules as the pool, on `database` (default: the target's).
 */
export function directClientConfig(
  target: ConnectionTarget,
  options: { database?: string; applicationName: string; connectTimeoutMs: number },
): pg.ClientConfig {
  const ssl = sslOption(target);
  const socket = socketAddress(target);
  return {
    host: socket.host,
    port: socket.port,
    database: options.database ?? target.database,
    user: target.user,
    password: target.password,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
    ...(target.readOnly ? { options: READ_ONLY_OPTIONS } : {}),
    ...(ssl ? { ssl } : {}),
  };
}

/** What each SSL file is called in the setting the admin edits. */
const SSL_FILE_FIELDS = { sslrootcert: 'profile.ssl.rootCert', sslcert: 'profile.ssl.cert', sslkey: 'profile.ssl.key' } as const;

function readSslFile(target: ConnectionTarget, file: string, setting: keyof typeof SSL_FILE_FIELDS): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by Simple DB' : `cannot be read (${code})`;
    const where = target.kind === 'url' ? `DATABASE_URL's ${setting}` : `The ${setting}`;
    throw new AppError('VALIDATION', `${where} file ${file} ${why}. Check the path.`, {
      field: target.kind === 'url' ? 'DATABASE_URL' : SSL_FILE_FIELDS[setting],
      cause: error,
    });
  }
}

/**
 * node-postgres with one change: every client has an 'error' listener from the moment it exists.
 * The server can end a connection at any time (restart, pg_terminate_backend), also while
 * Sequelize is still setting it up and has not attached its own listener; an 'error' event with no
 * listener would take the whole app down. Sequelize's listener still marks the connection invalid.
 */
function pgWithErrorListeners(log: Logger): typeof pg {
  class Client extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error: Error & { code?: string }) => {
        log(`database connection lost (${error.code ?? error.message}); the next request opens a new one`);
      });
    }
  }
  return Object.assign(Object.create(pg) as typeof pg, { Client });
}

/**
 * Opens one Sequelize instance (one pool) for a target. Sequelize's pg connection manager already
 * marks a connection that emits 'error' as invalid and destroys it, so a dropped connection gives
 * one clear error and the next request gets a fresh connection; our client class logs it.
 */
export function openDatabase(target: ConnectionTarget, log: Logger): Database {
  const ssl = sslOption(target);
  const sequelize = new Sequelize({
    dialect: 'postgres',
    dialectModule: pgWithErrorListeners(log),
    host: socketAddress(target).host,
    port: socketAddress(target).port,
    database: target.database,
    username: target.user,
    password: target.password,
    logging: false,
    // A connection the server dropped while idle is retried on a fresh one, so the admin sees no
    // error at all; anything else fails at once with a translated message. After a server restart
    // every idle connection in the pool is dead, and the pool may hand out several of them before
    // their 'error' events arrive: allow one attempt more than the pool can hold.
    retry: {
      max: POOL.max + 1,
      // "not queryable": pg refuses, before sending anything, a query on a client that already saw its
      // connection fail; the statement never reached the server, so another connection may run it.
      match: [/Connection terminated/i, /ECONNRESET/, /terminating connection due to administrator command/i, /not queryable/i],
    },
    // Store and read `timestamp without time zone` as UTC wall time, as the seed's utcnow does.
    timezone: '+00:00',
    pool: { max: POOL.max, min: POOL.min, acquire: POOL.acquireMs, idle: POOL.idleMs, evict: POOL.idleMs },
    dialectOptions: {
      application_name: 'simple-db',
      statement_timeout: POOL.statementTimeoutMs,
      idle_in_transaction_session_timeout: POOL.idleInTransactionMs,
      connectionTimeoutMillis: POOL.connectMs,
      keepAlive: true,
      ...(target.readOnly ? { options: READ_ONLY_OPTIONS } : {}),
      ...(ssl ? { ssl } : {}),
    },
  });
  const models = defineModels(sequelize);
  return {
    sequelize,
    models,
    target,
    close: () => sequelize.close(),
  };
}
