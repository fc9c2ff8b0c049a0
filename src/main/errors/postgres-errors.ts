import type { ApiError } from '../../shared/errors';
import type { ErrorContext } from './context';
import { fieldFor, fixHint, orFixHint } from './hints';

export interface PostgresErrorLike {
  code?: string;
  message?: string;
  column?: string;
  constraint?: string;
}

/** SQLSTATE class 22 (data exception): a value PostgreSQL could not take. Always bad input. */
function translateDataException(error: PostgresErrorLike): ApiError {
  const column = error.column ? ` (${error.column})` : '';
  switch (error.code) {
    case '22001':
      return { code: 'VALIDATION', message: `A value is longer than its column${column} allows. Shorten it.` };
    case '22003':
      return { code: 'VALIDATION', message: `A number is out of range for its column${column}. Ids, for example, go up to 2,147,483,647.` };
    case '22007':
    case '22008':
      return { code: 'VALIDATION', message: `A date or time is not valid${column} (for example February 30th). Use YYYY-MM-DD HH:MM:SS.` };
    case '22P02':
      return { code: 'VALIDATION', message: `A value is not of the type its column${column} expects (a number where digits are needed, say).` };
    case '22021':
      return { code: 'VALIDATION', message: 'Some text is not valid UTF-8. Save the input as UTF-8 and try again.' };
    case '22P05':
    case '22026':
      return { code: 'VALIDATION', message: 'Some text contains a character PostgreSQL cannot store (such as NUL).' };
    case '22004':
    case '22002':
      return { code: 'VALIDATION', message: `A required value${column} is missing.` };
    default:
      return { code: 'VALIDATION', message: `PostgreSQL could not accept a value${column}: ${error.message ?? 'invalid data'}.` };
  }
}

/** The server wants a password and none was saved, typed or found in ~/.pgpass: ask for it. */
export function passwordNeeded(context: ErrorContext): ApiError {
  const connection = context.connection;
  return {
    code: 'CONNECTION',
    message: `${connection?.where ?? 'The server'} asks for the password of user "${connection?.user ?? 'the configured user'}", and none is saved (nor in ~/.pgpass). Enter it.`,
    ...(connection?.kind === 'profile' ? { field: 'secrets.password', offer: 'enterPassword' as const } : {}),
  };
}

/** The SQLSTATEs an admin meets, as messages with a hint for the connection at hand. */
export function translatePostgresError(error: PostgresErrorLike, context: ErrorContext): ApiError | null {
  const code = error.code ?? '';
  if (!/^[0-9A-Z]{5}$/.test(code)) return null;
  const connection = context.connection;
  const where = connection?.where ?? 'the database server';
  const user = connection?.user ?? 'the configured user';
  const message = error.message ?? '';
  const fail = (text: string, extra: Partial<ApiError> = {}): ApiError => ({ code: 'CONNECTION', message: text, ...extra });

  if (code.startsWith('22')) return translateDataException(error);
  if (code === '28P01' && connection?.noPassword) return passwordNeeded(context);
  if (code === '28000') {
    const role = /role "(.*)" does not exist/.exec(message);
    if (role) {
      return fail(
        `There is no role "${role[1]}" on ${where}. ${fixHint(connection, 'user')} Or ask the server's admin to create it.`,
        fieldFor(connection, 'user'),
      );
    }
    if (/no encryption/i.test(message)) {
      return fail(
        `${where} accepts user "${user}" only over SSL (its pg_hba.conf refuses unencrypted connections). Set the SSL mode to require or verify-full${connection?.kind === 'profile' ? '' : ` (${orFixHint(connection, 'ssl')})`}.`,
        fieldFor(connection, 'ssl'),
      );
    }
    if (/certificate/i.test(message)) {
      return fail(
        `${where} wants a client certificate from user "${user}" (${message}). Set the client certificate and key files of the connection, issued by a CA the server trusts for that user.`,
        connection?.kind === 'profile' ? { field: 'profile.ssl.cert' } : {},
      );
    }
  }
  switch (code) {
    case '28P01':
      if (connection?.kind === 'embedded') {
        return fail(
          'The embedded PostgreSQL rejected the password Simple DB saved in credentials.json (was that file replaced?). Restore it from a backup of the data directory.',
        );
      }
      // PostgreSQL answers a user that does not exist the same way, on purpose: say so.
      return fail(
        `PostgreSQL rejected the password for user "${user}" at ${where} (it says the same when there is no such user). ${fixHint(connection, 'password')}`,
        fieldFor(connection, 'password'),
      );
    case '28000':
      return fail(
        `PostgreSQL does not allow user "${user}" to connect to ${where} (pg_hba.conf, or the role does not exist). Ask the server's admin, ${orFixHint(connection, 'user')}`,
      );
    case '3D000':
      if (connection?.kind === 'profile') {
        return fail(`The database in ${where} does not exist. Connect offers to create it; or fix the database name of the connection.`, {
          field: 'profile.database',
          offer: 'createDatabase',
        });
      }
      return fail(`The database in ${where} does not exist. Create it (createdb), ${orFixHint(connection, 'database')}`);
    case '53300':
      return fail(`${where} has no free connections left (max_connections reached). Close other clients or raise the limit.`);
    case '57P01':
      // admin_shutdown: a fast shutdown, or pg_terminate_backend on this very session. Either way
      // the session's open transaction is gone, so say what that means for a change in flight.
      return fail(
        `The server at ${where} closed the connection (it is shutting down or restarting, or an admin ended this session). An interrupted change is rolled back unless it was already being committed: refresh to see what was saved, then try again (Simple DB reconnects by itself).`,
      );
    case '57P02':
    case '57P03':
      return fail(`The server at ${where} closed the connection (it is shutting down, restarting or starting up). Try again in a moment.`);
    case '57014':
      return {
        code: 'TIMEOUT',
        message: 'The query ran longer than the statement timeout and was stopped. Narrow the search or try again when the server is less busy.',
      };
    case '55P03':
      return {
        code: 'TIMEOUT',
        message: `Another session holds a lock on a table this needs in ${where}, and did not let go in time. Wait for that work (a migration, VACUUM FULL, an open transaction) to finish, or end that session, and try again.`,
      };
    case '42P04':
      return { code: 'CONFLICT', message: `A database with that name already exists on ${where}. Choose another name.` };
    case '42P01':
      return {
        code: 'SCHEMA',
        message: `A table Simple DB needs is missing in ${where}. Apply the pending migrations (npm run migrate -- up, or the "Apply migrations" button).`,
      };
    case '42501':
      return {
        code: 'PERMISSION',
        message: `The database user "${user}" is not allowed to do this in ${where} (${message}). Ask the database's owner to grant it, or connect as another user.`,
      };
    case '42P07':
      return {
        code: 'SCHEMA',
        message: `A table or index Simple DB's migrations create already exists in ${where}: the schema was changed outside them (${message}). Compare it with \`npm run migrate -- status\`.`,
      };
    case '42703':
      return {
        code: 'SCHEMA',
        message: `The tables in ${where} differ from what this version of Simple DB expects (${message}). Apply the pending migrations, or check for changes made outside them.`,
      };
    case '23505':
      return { code: 'CONFLICT', message: `That would duplicate a value that must be unique${error.constraint ? ` (${error.constraint})` : ''}.` };
    case '23503':
      return { code: 'CONFLICT', message: `That row is still referenced by another table${error.constraint ? ` (${error.constraint})` : ''}.` };
    case '23502':
      return {
        code: 'VALIDATION',
        message: `${error.column ?? 'A required field'} must not be empty.`,
        ...(error.column ? { field: error.column } : {}),
      };
    case '25006':
      if (connection?.readOnly) {
        return {
          code: 'PERMISSION',
          message: `“${connection.profileName ?? where}” is a read-only connection: the server refused the change, and nothing was changed.`,
        };
      }
      return { code: 'PERMISSION', message: `${where} is read-only here (a read-only connection or a standby server): nothing was changed.` };
    case '40001':
    case '40P01':
      return { code: 'CONFLICT', message: 'Another change to the same rows got in the way. Try again.' };
  }
  if (code.startsWith('08')) return fail(`The connection to ${where} failed (${code}). Try again; check the server's log if it persists.`);
  return null;
}
