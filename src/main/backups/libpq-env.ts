import { READ_ONLY_OPTIONS } from '../db/connect';
import { socketAddress, type ConnectionTarget } from '../db/target';

/** How a client tool reaches a database: plain settings, and the password apart. */
export interface ToolConnection {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
}

/**
 * Inherited libpq variables (PGSERVICE, PGOPTIONS, PGPASSFILE, a stray PGHOST…) are dropped before
 * ours are set: the tool must reach exactly the connection the admin sees, nothing from the shell.
 */
export const INHERITED_LIBPQ_VARIABLES = /^PG[A-Z_]+$/;

/**
 * The connection as libpq environment variables, never as arguments. libpq reads PGDATABASE as a
 * plain name (only a `dbname` argument may be expanded into a connection string), and nothing here
 * reaches argv, so a database called `host=elsewhere dbname=x` or `-f/etc/passwd` is just a name:
 * it can neither redirect the tool to another server nor become an option. The password travels
 * in the child's environment only (`/proc/<pid>/cmdline` is readable by every user; environ is not).
 */
export function libpqConnection(target: ConnectionTarget, options: { database?: string; applicationName?: string } = {}): ToolConnection {
  const socket = socketAddress(target);
  const env: Record<string, string> = {
    PGHOST: target.host,
    PGPORT: String(socket.port),
    PGUSER: target.user,
    PGDATABASE: options.database ?? target.database,
    PGAPPNAME: options.applicationName ?? 'simple-db',
    PGCONNECT_TIMEOUT: '10',
    // No password prompt, ever: a tool waiting on a terminal nobody sees would hang the job.
    PGPASSFILE: process.platform === 'win32' ? 'NUL' : '/dev/null',
    // English messages, so progress lines and errors can be recognised.
    LC_ALL: 'C',
    LC_MESSAGES: 'C',
    LANG: 'C',
  };
  // Through a tunnel: connect to its local end, check the certificate against the real name.
  if (target.via) env.PGHOSTADDR = target.via.host;
  if (target.sslMode) env.PGSSLMODE = target.sslMode;
  if (target.sslRootCert) env.PGSSLROOTCERT = target.sslRootCert;
  if (target.sslCert) env.PGSSLCERT = target.sslCert;
  if (target.sslKey) env.PGSSLKEY = target.sslKey;
  if (target.readOnly) env.PGOPTIONS = READ_ONLY_OPTIONS;
  return { env, secretEnv: target.password ? { PGPASSWORD: target.password } : {} };
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a word for a POSIX shell, so a copied command line runs as shown. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line the admin can read and copy: the connection variables, the program and its
 * arguments, with the password masked. (The process itself gets no shell; this is for people.)
 */
export function describeCommand(command: string, args: readonly string[], connection: ToolConnection): string {
  const shown = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY', 'PGOPTIONS']
    .filter((name) => connection.env[name] !== undefined)
    .map((name) => `${name}=${shellQuote(connection.env[name]!)}`);
  if (connection.secretEnv.PGPASSWORD !== undefined) shown.push('PGPASSWORD=••••••');
  return [...shown, shellQuote(command), ...args.map(shellQuote)].join(' ');
}
