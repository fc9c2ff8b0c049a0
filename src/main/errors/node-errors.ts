import type { ApiError } from '../../shared/errors';
import type { ErrorContext } from './context';
import { fieldFor, fixHint } from './hints';

export interface NodeErrorLike {
  code?: string;
  path?: string;
  port?: number;
  syscall?: string;
}

/** Node's errno codes for our own files and ports: not the database's problem. */
export function translateFileError(error: NodeErrorLike): ApiError | null {
  const file = error.path ? ` ${error.path}` : '';
  switch (error.code) {
    case 'EADDRINUSE':
      return {
        code: 'CONFLICT',
        message: `Port ${error.port ?? ''} is already in use. Set SIMPLE_DB_PORT to a free port, or leave it unset to pick one.`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        code: 'PERMISSION',
        message: `Permission denied on${file || ' a file Simple DB needs'}. Check that folder's owner and mode, or set SIMPLE_DB_DATA_DIR to a folder you own.`,
      };
    case 'ENOSPC':
      return { code: 'STORAGE', message: `The disk is full${file ? ` (writing${file})` : ''}. Free some space and try again.` };
    case 'EROFS':
      return { code: 'PERMISSION', message: `The file system is read-only${file ? ` (writing${file})` : ''}. Choose a folder on a writable disk.` };
    case 'ENOENT':
      return error.path ? { code: 'NOT_FOUND', message: `${error.path} does not exist. Check the path.` } : null;
    case 'ENOTDIR':
      return { code: 'VALIDATION', message: `${error.path ?? 'That path'} goes through a file as if it were a folder. Check the path.` };
    case 'EISDIR':
      return { code: 'VALIDATION', message: `${error.path ?? 'That path'} is a folder, not a file.` };
    case 'EMFILE':
    case 'ENFILE':
      return { code: 'INTERNAL', message: 'Too many files are open. Close some programs and try again.' };
  }
  return null;
}

/** Node's network errnos while reaching a database server. */
export function translateNetworkError(error: NodeErrorLike, context: ErrorContext): ApiError | null {
  const connection = context.connection;
  const where = connection?.where ?? 'the database server';
  const fail = (message: string): ApiError => ({ code: 'CONNECTION', message, ...fieldFor(connection, 'host') });
  switch (error.code) {
    case 'ECONNREFUSED':
      if (connection?.established) {
        return fail(
          `Nothing is accepting connections at ${where} any more: the server was stopped or restarted, or the network changed. Simple DB reconnects by itself once it answers again.`,
        );
      }
      return fail(
        `Nothing is accepting connections at ${where}. Check that PostgreSQL is running and listening there. ${fixHint(connection, 'host')}`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`The host in ${where} cannot be found. ${fixHint(connection, 'host')}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail(`The host in ${where} cannot be reached from this machine. Check the network, VPN or firewall.`);
    case 'ETIMEDOUT':
      return fail(`Connecting to ${where} timed out. Check the network and firewall. ${fixHint(connection, 'host')}`);
    case 'ECONNRESET':
    case 'EPIPE':
      return fail(`The connection to ${where} was cut off. Try again; if it keeps happening, check the server's log.`);
  }
  return null;
}
