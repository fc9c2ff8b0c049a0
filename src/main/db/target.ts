import { AppError } from '../errors/app-error';
import { formatDatabaseAddress } from '../../shared/database-address';
import type { ConnectionColor } from '../../shared/contract/connections';

/** Where Simple DB connects: everything needed to open a pool, and to describe it without secrets. */
export interface ConnectionTarget {
  kind: 'embedded' | 'url' | 'profile';
  /** The server as the admin named it (what screens show and certificates are checked against). */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** libpq's sslmode, when the URL gives one. */
  sslMode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** libpq's sslrootcert: the CA certificate file that verify-ca / verify-full trust. */
  sslRootCert?: string;
  /** libpq's sslcert / sslkey: the client certificate and its key, when the server asks for one. */
  sslCert?: string;
  sslKey?: string;
  /**
   * Where sockets actually go when that is not host:port: the local end of an SSH tunnel. The
   * certificate is still checked against `host` (libpq: PGHOST for the name, PGHOSTADDR to connect).
   */
  via?: { host: string; port: number };
  /** For sslmode prefer/allow: whether the server offered SSL when the connection was opened. */
  sslAvailable?: boolean;
  /** Every session starts with default_transaction_read_only: the server refuses writes. */
  readOnly?: boolean;
  /** A saved profile's name (hints say "edit the connection “…”") and colour tag. */
  profileName?: string;
  color?: ConnectionColor;
  /** Where the admin changes this connection's settings: the setting names hints speak of. */
  settingsIn?: 'DATABASE_URL' | 'profile';
}

const SCHEMES = new Set(['postgres', 'postgresql']);
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/**
 * Parses DATABASE_URL. Accepts `postgres://`, `postgresql://` and SQLAlchemy's
 * `postgresql+<driver>://` (the seed's `postgresql+psycopg://…`). Errors never repeat the URL,
 * because it usually carries a password.
 */
export function parseDatabaseUrl(raw: string): ConnectionTarget {
  const text = raw.trim();
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!match) {
    throw new AppError('VALIDATION', 'DATABASE_URL must start with postgresql:// (or postgres://, or postgresql+psycopg://).', {
      field: 'DATABASE_URL',
    });
  }
  const scheme = match[1]!.toLowerCase();
  const base = scheme.split('+')[0]!;
  if (!SCHEMES.has(base)) {
    throw new AppError('VALIDATION', `DATABASE_URL uses "${scheme}://"; Simple DB manages PostgreSQL only, so it must start with postgresql://.`, {
      field: 'DATABASE_URL',
    });
  }
  let url: URL;
  try {
    url = new URL(`postgresql://${text.slice(match[0].length)}`);
  } catch {
    throw new AppError(
      'VALIDATION',
      'DATABASE_URL is not a valid address. Expected postgresql://user:password@host:5432/database (special characters in the password percent-encoded).',
      { field: 'DATABASE_URL' },
    );
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new AppError('VALIDATION', `DATABASE_URL's ${what} has a % that does not start an escape: write a literal % as %25.`, {
        field: 'DATABASE_URL',
      });
    }
  };
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (!database) {
    throw new AppError('VALIDATION', 'DATABASE_URL names no database. Add it after the host: postgresql://user:password@host:5432/<database>.', {
      field: 'DATABASE_URL',
    });
  }
  const port = url.port ? Number(url.port) : 5432;
  const sslMode = url.searchParams.get('sslmode') ?? undefined;
  if (sslMode !== undefined && !SSL_MODES.has(sslMode)) {
    throw new AppError('VALIDATION', `DATABASE_URL has sslmode=${sslMode}; use one of ${[...SSL_MODES].join(', ')}.`, { field: 'DATABASE_URL' });
  }
  return {
    kind: 'url',
    host: decode(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host') || 'localhost',
    port,
    database,
    user: decode(url.username, 'user name') || process.env.USER || 'postgres',
    password: decode(url.password, 'password'),
    ...(sslMode ? { sslMode: sslMode as ConnectionTarget['sslMode'] } : {}),
    ...(url.searchParams.get('sslrootcert') ? { sslRootCert: url.searchParams.get('sslrootcert')! } : {}),
  };
}

/** Where a socket for this target connects: the tunnel's local end, or the server itself. */
export function socketAddress(target: Pick<ConnectionTarget, 'host' | 'port' | 'via'>): { host: string; port: number } {
  return target.via ?? { host: target.host, port: target.port };
}

/** `host:port/database`, for status bars and logs: never the password. */
export function describeTarget(target: Pick<ConnectionTarget, 'host' | 'port' | 'database'>): string {
  return formatDatabaseAddress(target.host, target.port, target.database);
}

/** How the window names a connection: the profile's name, or what the connection is. */
export function targetLabel(target: Pick<ConnectionTarget, 'kind' | 'profileName'>): string {
  if (target.kind === 'embedded') return 'Embedded PostgreSQL';
  if (target.kind === 'url') return 'DATABASE_URL';
  return target.profileName ?? 'Saved connection';
}
