import type { ApiError } from '../../shared/errors';
import { AppError } from './app-error';
import type { ErrorContext } from './context';
import { fieldFor, fixHint, orFixHint } from './hints';
import { translateFileError, translateNetworkError } from './node-errors';
import { passwordNeeded, translatePostgresError } from './postgres-errors';
import { translateToolError, type ToolFailure } from './tool-errors';

export type { ConnectionErrorContext, ErrorContext } from './context';

interface ErrorLike {
  name?: string;
  path?: string;
  port?: number;
  message?: string;
  code?: string;
  parent?: ErrorLike;
  original?: ErrorLike;
  cause?: ErrorLike;
  column?: string;
  constraint?: string;
}

/** The process runner's ProcessError (recognised by shape: errors/ sits below the runner). */
function toolFailure(error: unknown): ToolFailure | null {
  const candidate = error as { name?: string; program?: string; result?: { lastLines?: string[] } } | null;
  if (candidate?.name !== 'ProcessError' || typeof candidate.program !== 'string' || !Array.isArray(candidate.result?.lastLines)) return null;
  return { program: candidate.program, lastLines: candidate.result.lastLines };
}

/** Sequelize wraps driver errors; PostgreSQL's SQLSTATE and Node's errno live on the innermost one. */
function innermost(error: ErrorLike): ErrorLike {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    // Sequelize keeps the driver's error in parent/original; Umzug's MigrationError in cause.
    const next = current.parent ?? current.original ?? (current.code ? undefined : current.cause);
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

function isConnectionLoss(code: string, message: string): boolean {
  return code.startsWith('08') || code.startsWith('57P') || /^E[A-Z]+$/.test(code) || /connect|terminat/i.test(message);
}

/**
 * Whether a CONNECTION failure may pass by itself (the server restarting, the network or tunnel
 * dropping), as opposed to one that needs the admin (a wrong password, a missing role or database,
 * a certificate or SSH host key refused): trying again is only worth it for the first kind, and
 * trying a wrong password forever locks accounts.
 */
export function mayPassByItself(error: unknown): boolean {
  if (error instanceof AppError) {
    return error.code === 'CONNECTION' && error.hostKey === undefined && error.offer === undefined && !error.field?.startsWith('secrets.');
  }
  const outer = (error ?? {}) as ErrorLike;
  const inner = innermost(outer);
  const code = inner.code ?? outer.code ?? '';
  const message = inner.message ?? outer.message ?? '';
  return !(code.startsWith('28') || code === '3D000' || /certificate|does not support SSL|client password/i.test(message));
}

/**
 * The one place where PostgreSQL's, Node's and the tools' errors become messages for people.
 * Everything that crosses the contract boundary goes through here; the renderer never sees a raw
 * driver error, and a hint always fits the connection at hand.
 */
export function translateError(error: unknown, context: ErrorContext = {}): ApiError {
  if (error instanceof AppError) return error.toApiError();
  const failure = toolFailure(error);
  if (failure) return translateToolError(failure, context);
  const outer = (error ?? {}) as ErrorLike;
  const inner = innermost(outer);
  const code = inner.code ?? outer.code ?? '';
  const message = inner.message ?? outer.message ?? String(error);
  const connection = context.connection;
  const where = connection?.where ?? 'the database server';
  const seeLog = context.logFile ? ` (details in ${context.logFile})` : '';
  const fail = (text: string, extra: Partial<ApiError> = {}): ApiError => ({ code: 'CONNECTION', message: text, ...extra });
  const embeddedDown = fail(`The embedded PostgreSQL has stopped${seeLog}. Restart Simple DB to start it again.`);

  if (connection?.embeddedStopped && isConnectionLoss(code, message)) return embeddedDown;
  if (connection?.kind === 'embedded' && code === 'ECONNREFUSED') return embeddedDown;

  const known =
    translateFileError({ ...inner, code }) ??
    translateNetworkError({ ...inner, code }, context) ??
    translatePostgresError({ ...inner, code, message }, context);
  if (known) return known;

  // Errors that carry no code, recognised by name or message.
  const name = outer.name ?? '';
  if (name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled.' };
  if (name === 'SequelizeConnectionAcquireTimeoutError') {
    return {
      code: 'TIMEOUT',
      message: 'All database connections stayed busy for too long. Try again; if it keeps happening, the server may be overloaded.',
    };
  }
  if (/client password must be a/i.test(message)) return passwordNeeded(context);
  if (/does not support SSL/i.test(message)) {
    return fail(`${where} does not accept SSL connections. Enable SSL on the server, ${orFixHint(connection, 'ssl')}`, fieldFor(connection, 'ssl'));
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /does not match certificate's altnames/i.test(message)) {
    return fail(
      `The SSL certificate of ${where} was issued for another name (${message.replace(/^.*?:\s*/, '')}). Connect by a name the certificate lists, or use verify-ca, which checks the CA but not the name.`,
      fieldFor(connection, 'host'),
    );
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return fail(`The SSL certificate of ${where} has expired. Ask the server's admin to renew it.`, fieldFor(connection, 'sslrootcert'));
  }
  if (/self[- ]signed certificate|unable to verify|unable to get (local )?issuer|certificate/i.test(message)) {
    return fail(
      `The SSL certificate of ${where} is not signed by a CA this connection trusts. ${fixHint(connection, 'sslrootcert')} (sslmode=require encrypts without verifying.)`,
      fieldFor(connection, 'sslrootcert'),
    );
  }
  if (/connection timeout|timeout expired/i.test(message) && !/after.*query/i.test(message)) {
    return fail(`Connecting to ${where} timed out: nothing answered. Check the host, port, network and firewall.`, fieldFor(connection, 'host'));
  }
  if (/no pg_hba\.conf entry/i.test(message)) {
    return fail(
      `The server at ${where} does not accept connections from this machine for user "${connection?.user ?? 'the configured user'}" (pg_hba.conf). Ask its admin to allow it.`,
    );
  }
  if (
    /Connection terminated|connection timeout|timeout expired|Connection timed out|not queryable|connection error/i.test(message) ||
    name === 'SequelizeConnectionTimedOutError'
  ) {
    // Every write runs in a transaction, which PostgreSQL rolls back when its connection goes,
    // unless the loss came while it was committing: so say what is certain, and how to check.
    return fail(
      `The connection to ${where} was lost before the request finished. An interrupted change is rolled back unless it was already being committed: refresh to see what was saved, then try again (Simple DB reconnects by itself).`,
    );
  }
  if (name === 'SequelizeConnectionError' || name === 'SequelizeConnectionRefusedError') {
    return fail(`Cannot connect to ${where}. Check that the server is running. ${fixHint(connection, 'address')}`);
  }
  return {
    code: 'INTERNAL',
    message: context.logFile
      ? `Something unexpected went wrong; the details are in ${context.logFile}. Please report it with that file.`
      : 'Something unexpected went wrong. Please report it with what you were doing.',
  };
}
