import type { ApiError } from '../../shared/errors';
import { AppError } from './app-error';

/** What the translator may mention: never a password. */
export interface ErrorContext {
  /** `host:port/database` */
  where?: string;
  user?: string;
  logFile?: string;
  /** The embedded server has no URL for the admin to fix; its problems read differently. */
  kind?: 'embedded' | 'url';
  /** The embedded server's process has exited: every connection error has this one cause. */
  embeddedStopped?: boolean;
}

interface ErrorLike {
  name?: string;
  path?: string;
  port?: number;
  message?: string;
  code?: string;
  errno?: number;
  parent?: ErrorLike;
  original?: ErrorLike;
  column?: string;
  constraint?: string;
  detail?: string;
}

/** Sequelize wraps driver errors; PostgreSQL's SQLSTATE and Node's errno live on the innermost one. */
function innermost(error: ErrorLike): ErrorLike {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = current.parent ?? current.original;
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

/**
 * The one place where PostgreSQL's and Node's errors become messages for people. Everything that
 * crosses the contract boundary goes through here; the renderer never sees a raw driver error.
 */
export function translateError(error: unknown, context: ErrorContext = {}): ApiError {
  if (error instanceof AppError) return error.toApiError();
  const outer = (error ?? {}) as ErrorLike;
  const inner = innermost(outer);
  const code = inner.code ?? outer.code ?? '';
  const where = context.where ?? 'the database server';
  const user = context.user ?? 'the configured user';
  const message = inner.message ?? outer.message ?? String(error);
  const connection = (text: string): ApiError => ({ code: 'CONNECTION', message: text });
  const embedded = context.kind === 'embedded';
  const seeLog = context.logFile ? ` (details in ${context.logFile})` : '';
  const embeddedDown = connection(`The embedded PostgreSQL has stopped${seeLog}. Restart Simple DB to start it again.`);
  if (context.embeddedStopped && (code.startsWith('08') || code.startsWith('57P') || /^E[A-Z]+$/.test(code) || /connect|terminat/i.test(message))) {
    return embeddedDown;
  }

  // Problems with our own files and ports, not the database's.
  const file = inner.path ? ` ${inner.path}` : '';
  switch (code) {
    case 'EADDRINUSE':
      return { code: 'CONFLICT', message: `Port ${inner.port ?? ''} is already in use. Set SIMPLE_DB_PORT to a free port, or leave it unset to pick one.` };
    case 'EACCES':
    case 'EPERM':
      return { code: 'PERMISSION', message: `Permission denied on${file || ' a file Simple DB needs'}. Check that folder's owner and mode, or set SIMPLE_DB_DATA_DIR to a folder you own.` };
    case 'ENOSPC':
      return { code: 'INTERNAL', message: `The disk is full${file ? ` (writing${file})` : ''}. Free some space and try again.` };
  }

  switch (code) {
    // Node's network errors
    case 'ECONNREFUSED':
      if (embedded) return embeddedDown;
      return connection(`Nothing is accepting connections at ${where}. Check that PostgreSQL is running and listening on that host and port.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return connection(`The host in ${where} cannot be found. Check the host name in DATABASE_URL.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return connection(`The host in ${where} cannot be reached from this machine. Check the network, VPN or firewall.`);
    case 'ETIMEDOUT':
      return connection(`Connecting to ${where} timed out. Check the host, port and firewall.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return connection(`The connection to ${where} was cut off. Try again; if it keeps happening, check the server's log.`);
    // PostgreSQL's SQLSTATEs
    case '28P01':
      if (embedded) {
        return connection('The embedded PostgreSQL rejected the password Simple DB saved in credentials.json (was that file replaced?). Restore it from a backup of the data directory.');
      }
      return connection(`PostgreSQL rejected the password for user "${user}" at ${where}. Check the password in DATABASE_URL.`);
    case '28000':
      return connection(`PostgreSQL does not allow user "${user}" to connect to ${where} (pg_hba.conf). Ask the server's admin to allow this host and user.`);
    case '3D000':
      return connection(`The database in ${where} does not exist. Create it (createdb) or fix the name in DATABASE_URL.`);
    case '53300':
      return connection(`${where} has no free connections left (max_connections reached). Close other clients or raise the limit.`);
    case '57P01':
    case '57P02':
    case '57P03':
      return connection(`The server at ${where} closed the connection (it is shutting down, restarting or starting up). Try again in a moment.`);
    case '57014':
      return { code: 'TIMEOUT', message: 'The query ran longer than the statement timeout and was stopped. Narrow the search or try again when the server is less busy.' };
    case '42P01':
      return { code: 'SCHEMA', message: `A table Simple DB needs is missing in ${where}. Apply the pending migrations (npm run migrate -- up, or the "Apply migrations" button).` };
    case '42501':
      return { code: 'PERMISSION', message: `The database user "${user}" is not allowed to do this in ${where} (${message}). Ask the database's owner to grant it, or connect as another user.` };
    case '42P07':
      return { code: 'SCHEMA', message: `A table or index Simple DB's migrations create already exists in ${where}: the schema was changed outside them (${message}). Compare it with \`npm run migrate -- status\`.` };
    case '42703':
      return { code: 'SCHEMA', message: `The tables in ${where} differ from what this version of Simple DB expects (${message}). Apply the pending migrations, or check for changes made outside them.` };
    case '23505':
      return { code: 'CONFLICT', message: `That would duplicate a value that must be unique${inner.constraint ? ` (${inner.constraint})` : ''}.` };
    case '23503':
      return { code: 'CONFLICT', message: `That row is still referenced by another table${inner.constraint ? ` (${inner.constraint})` : ''}.` };
    case '23502':
      return { code: 'VALIDATION', message: `${inner.column ?? 'A required field'} must not be empty.`, ...(inner.column ? { field: inner.column } : {}) };
    case '22001':
      return { code: 'VALIDATION', message: 'A value is longer than its column allows.' };
    case '40001':
    case '40P01':
      return { code: 'CONFLICT', message: 'Another change to the same rows got in the way. Try again.' };
  }
  if (code.startsWith('08')) return connection(`The connection to ${where} failed (${code}). Try again; check the server's log if it persists.`);

  // Errors that carry no code, recognised by name or message.
  const name = outer.name ?? '';
  if (name === 'SequelizeConnectionAcquireTimeoutError') {
    return { code: 'TIMEOUT', message: 'All database connections stayed busy for too long. Try again; if it keeps happening, the server may be overloaded.' };
  }
  if (/does not support SSL/i.test(message)) {
    return connection(`${where} does not accept SSL connections. Remove sslmode=require from DATABASE_URL, or enable SSL on the server.`);
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(message)) {
    return connection(`The SSL certificate of ${where} could not be verified. Add sslrootcert=/path/to/ca.crt to DATABASE_URL, or use sslmode=require to encrypt without verifying.`);
  }
  if (/no pg_hba\.conf entry/i.test(message)) {
    return connection(`The server at ${where} does not accept connections from this machine for user "${user}" (pg_hba.conf). Ask its admin to allow it.`);
  }
  if (/Connection terminated|connection timeout|timeout expired|Connection timed out|not queryable|connection error/i.test(message) || name === 'SequelizeConnectionTimedOutError') {
    // Every write runs in a transaction, which PostgreSQL rolls back when its connection goes,
    // unless the loss came while it was committing: so say what is certain, and how to check.
    return connection(`The connection to ${where} was lost before the request finished. An interrupted change is rolled back unless it was already being committed: refresh to see what was saved, then try again (Simple DB reconnects by itself).`);
  }
  if (name === 'SequelizeConnectionError' || name === 'SequelizeConnectionRefusedError') {
    return connection(`Cannot connect to ${where}. Check that the server is running and DATABASE_URL is right.`);
  }
  return {
    code: 'INTERNAL',
    message: context.logFile
      ? `Something unexpected went wrong; the details are in ${context.logFile}. Please report it with that file.`
      : 'Something unexpected went wrong. Please report it with what you were doing.',
  };
}
