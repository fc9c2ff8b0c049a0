import type { ApiError } from '../../shared/errors';
import type { ErrorContext } from './context';
import { fixHint } from './hints';

/** What a client tool (pg_dump, pg_restore, psql) said before it failed. */
export interface ToolFailure {
  program: string;
  lastLines: readonly string[];
}

/** The tool's own words, without its "pg_dump: error: " prefix, for the end of a message. */
function toolWords(failure: ToolFailure): string {
  const errorLines = failure.lastLines.filter((line) => /error|fatal|could not|ERROR|FATAL/.test(line));
  const chosen = (errorLines.length ? errorLines : failure.lastLines).slice(-2);
  return chosen.map((line) => line.replace(/^(pg_dump|pg_restore|psql)(:\S*)?:\s*(error:\s*)?/i, '').trim()).join(' ');
}

/**
 * pg_dump's, pg_restore's and psql's failures in words an admin can act on, with a hint that fits
 * the connection. Anything not recognised keeps the tool's own last words (never INTERNAL: a tool
 * failing is not a bug in Simple DB, and what it said is what the admin needs).
 */
export function translateToolError(failure: ToolFailure, context: ErrorContext = {}): ApiError {
  const text = failure.lastLines.join('\n');
  const said = toolWords(failure);
  const connection = context.connection;
  const where = connection?.where ?? 'the database server';
  const { program } = failure;
  const match = (pattern: RegExp) => pattern.exec(text);

  if (match(/No space left on device|could not write to (output )?file.*(space|quota)/i)) {
    return {
      code: 'STORAGE',
      message: `The disk is full: ${program} could not finish writing. Free some space (or choose another backups folder) and try again.`,
    };
  }
  const mismatch = match(/server version: ([\d.]+\S*); \S+ version: ([\d.]+\S*)/);
  if (mismatch || /server version mismatch/.test(text)) {
    return {
      code: 'TOOL_VERSION',
      message: `${program} is older than the server${mismatch ? ` (server ${mismatch[1]}, ${program} ${mismatch[2]})` : ''}: it must be the server's major version or newer. Install newer PostgreSQL client tools, or set the path of a newer ${program} in the backup settings.`,
    };
  }
  const archiveVersion = match(/unsupported version \(([\d.]+)\) in file header/);
  if (archiveVersion) {
    return {
      code: 'TOOL_VERSION',
      message: `This archive was written by a newer pg_dump than the ${program} here can read (archive format ${archiveVersion[1]}). Install newer PostgreSQL client tools, or set the path of a newer pg_restore in the backup settings.`,
    };
  }
  if (match(/password authentication failed|no password supplied/i)) {
    return { code: 'CONNECTION', message: `${where} refused the password. ${fixHint(connection, 'password')}` };
  }
  if (match(/Connection refused|could not connect to server|connection to server .* failed/i)) {
    return { code: 'CONNECTION', message: `${program} could not connect to ${where}: ${said} ${fixHint(connection, 'host')}` };
  }
  if (match(/lock timeout|could not obtain lock/i)) {
    return {
      code: 'TIMEOUT',
      message: `Another session holds a lock on a table ${program} needs, and it did not let go in time: ${said}. Wait for that work to finish, or end those sessions, and try again.`,
    };
  }
  if (match(/input file appears to be a text format dump/i)) {
    return { code: 'VALIDATION', message: 'This file is a plain SQL dump, not an archive: restore it as a plain file.', field: 'name' };
  }
  if (match(/input file is too short|could not read input file|unexpected end of file|did not find magic string|not a valid archive/i)) {
    return { code: 'VALIDATION', message: `The file is truncated or damaged: ${program} cannot read it (${said}).`, field: 'name' };
  }
  if (match(/Permission denied/i) && !match(/permission denied for/i)) {
    return { code: 'PERMISSION', message: `${program} was not allowed to read or write a file: ${said}. Check the backups folder's owner and mode.` };
  }
  if (match(/permission denied for|must be owner of|must be superuser|must be a member of role|must have privileges of/i)) {
    return { code: 'PERMISSION', message: `The database user "${connection?.user ?? 'of this connection'}" lacks a right ${program} needs: ${said}` };
  }
  return { code: 'VALIDATION', message: `${program} failed: ${said || 'it gave no reason'}.` };
}
