import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/errors/app-error';
import { translateError } from '../../src/main/errors/translate';

const connection = { kind: 'url' as const, where: 'db.example.com:5432/app', user: 'admin' };
const context = { connection, logFile: '/var/log/simple-db.log' };
/** Sequelize's shape: the driver error sits under `parent`/`original`. */
const wrapped = (inner: Record<string, unknown>, name = 'SequelizeDatabaseError') =>
  Object.assign(new Error('wrapped'), { name, parent: inner, original: inner });

describe('translateError', () => {
  it('passes our own errors through unchanged', () => {
    expect(translateError(new AppError('CONFLICT', 'taken', { field: 'email', existingId: 3 }), context)).toEqual({
      code: 'CONFLICT',
      message: 'taken',
      field: 'email',
      existingId: 3,
    });
  });

  it.each([
    ['ECONNREFUSED', 'Nothing is accepting connections at db.example.com:5432/app'],
    ['ENOTFOUND', 'The host in db.example.com:5432/app cannot be found'],
    ['EHOSTUNREACH', 'cannot be reached from this machine'],
    ['ETIMEDOUT', 'timed out'],
    ['28P01', 'PostgreSQL rejected the password for user "admin"'],
    ['28000', 'pg_hba.conf'],
    ['3D000', 'does not exist'],
    ['53300', 'max_connections'],
    ['57P01', 'closed the connection'],
    ['08006', 'connection to db.example.com:5432/app failed'],
  ])('%s is a CONNECTION error that says what to check', (code, text) => {
    const error = translateError(wrapped({ code, message: 'raw' }, 'SequelizeConnectionError'), context);
    expect(error.code).toBe('CONNECTION');
    expect(error.message).toContain(text);
  });

  it('a statement timeout is TIMEOUT, a missing table is SCHEMA', () => {
    expect(translateError(wrapped({ code: '57014' }), context).code).toBe('TIMEOUT');
    expect(translateError(wrapped({ code: '42P01' }), context)).toMatchObject({
      code: 'SCHEMA',
      message: expect.stringContaining('npm run migrate -- up'),
    });
  });

  it('constraint violations name the constraint or column', () => {
    expect(translateError(wrapped({ code: '23505', constraint: 'users_email_key' }), context)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('users_email_key'),
    });
    expect(translateError(wrapped({ code: '23502', column: 'name' }), context)).toEqual({
      code: 'VALIDATION',
      field: 'name',
      message: 'name must not be empty.',
    });
  });

  it('SSL problems say which side to change', () => {
    expect(translateError(new Error('The server does not support SSL connections'), context).message).toContain(
      'Enable SSL on the server, or fix the SSL mode (sslmode) in DATABASE_URL',
    );
    expect(translateError(new Error('self-signed certificate in certificate chain'), context).message).toContain(
      'is not signed by a CA this connection trusts',
    );
  });

  it("a read-only role, a schema changed by hand: PERMISSION and SCHEMA, with the server's reason", () => {
    expect(translateError(wrapped({ code: '42501', message: 'permission denied for table users' }), context)).toEqual({
      code: 'PERMISSION',
      message:
        'The database user "admin" is not allowed to do this in db.example.com:5432/app (permission denied for table users). Ask the database\'s owner to grant it, or connect as another user.',
    });
    expect(translateError(wrapped({ code: '42P07', message: 'relation "users" already exists' }), context).code).toBe('SCHEMA');
    expect(translateError(wrapped({ code: '42703', message: 'column "name" does not exist' }), context).code).toBe('SCHEMA');
  });

  it('the embedded server is never blamed on DATABASE_URL', () => {
    const embedded = { ...context, connection: { ...connection, kind: 'embedded' as const } };
    expect(translateError(wrapped({ code: 'ECONNREFUSED' }, 'SequelizeConnectionRefusedError'), embedded).message).toBe(
      'The embedded PostgreSQL has stopped (details in /var/log/simple-db.log). Restart Simple DB to start it again.',
    );
    expect(translateError(wrapped({ code: '28P01' }), embedded).message).not.toContain('DATABASE_URL');
    const stopped = { ...embedded, connection: { ...embedded.connection, embeddedStopped: true } };
    expect(translateError(new Error('Connection terminated unexpectedly'), stopped).message).toContain('The embedded PostgreSQL has stopped');
  });

  it('our own files and ports: what to change', () => {
    expect(translateError(Object.assign(new Error('listen'), { code: 'EADDRINUSE', port: 8080 }), context).message).toBe(
      'Port 8080 is already in use. Set SIMPLE_DB_PORT to a free port, or leave it unset to pick one.',
    );
    expect(translateError(Object.assign(new Error('x'), { code: 'EACCES', path: '/var/lib/simple-db' }), context)).toMatchObject({
      code: 'PERMISSION',
      message: expect.stringContaining('Permission denied on /var/lib/simple-db'),
    });
    expect(translateError(Object.assign(new Error('x'), { code: 'ENOSPC', path: '/data/x' }), context).message).toContain('The disk is full');
  });

  it('the same problem gets the hint for where this connection is configured', () => {
    const refused = wrapped({ code: 'ECONNREFUSED' }, 'SequelizeConnectionRefusedError');
    expect(translateError(refused, context).message).toContain('in DATABASE_URL');
    const profile = { connection: { ...connection, kind: 'profile' as const, profileName: 'Production' } };
    expect(translateError(refused, profile).message).toContain('Check the host and port of the connection “Production”.');
    expect(translateError(refused, profile).message).not.toContain('DATABASE_URL');
    const password = translateError(wrapped({ code: '28P01' }), profile).message;
    expect(password).toContain('Check the password of the connection “Production”.');
  });

  it.each([
    ['22003', 'out of range'],
    ['22008', 'not valid'],
    ['22007', 'not valid'],
    ['22P02', 'not of the type'],
    ['22021', 'UTF-8'],
    ['22012', 'could not accept'],
  ])('data exception %s is bad input (VALIDATION), never INTERNAL', (code, text) => {
    const error = translateError(wrapped({ code, message: 'raw' }), context);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(text);
  });

  it('anything else is INTERNAL, pointing at the log, never leaking the raw text', () => {
    const error = translateError(new TypeError("Cannot read properties of undefined (reading 'x') password=hunter2"), context);
    expect(error).toEqual({
      code: 'INTERNAL',
      message: 'Something unexpected went wrong; the details are in /var/log/simple-db.log. Please report it with that file.',
    });
  });
});

describe('errors of the tools and of migrations', () => {
  it('a failing migration (Umzug keeps the driver error in `cause`) is translated, never INTERNAL', () => {
    const migration = Object.assign(new Error('Migration create-users (up) failed: Original error: relation "users" already exists'), {
      name: 'MigrationError',
      cause: wrapped({ code: '42P07', message: 'relation "users" already exists' }),
    });
    expect(translateError(migration, context)).toMatchObject({ code: 'SCHEMA', message: expect.stringContaining('already exists') });
  });

  it('pg_dump’s and psql’s failures keep their words, with the code that fits', () => {
    const failure = (program: string, lastLines: string[]) =>
      Object.assign(new Error(`${program} exited with code 1`), { name: 'ProcessError', program, result: { lastLines } });
    expect(translateError(failure('pg_dump', ['pg_dump: error: could not write to output file: No space left on device']), context)).toMatchObject({
      code: 'STORAGE',
    });
    expect(
      translateError(
        failure('pg_dump', [
          'pg_dump: error: aborting because of server version mismatch',
          'pg_dump: detail: server version: 17.2; pg_dump version: 15.18',
        ]),
        context,
      ),
    ).toMatchObject({ code: 'TOOL_VERSION', message: expect.stringContaining('server 17.2, pg_dump 15.18') });
    expect(translateError(failure('pg_restore', ['pg_restore: error: unsupported version (1.16) in file header']), context)).toMatchObject({
      code: 'TOOL_VERSION',
    });
    expect(
      translateError(
        failure('psql', ['psql: error: connection to server at "x" failed: FATAL:  password authentication failed for user "admin"']),
        context,
      ),
    ).toMatchObject({
      code: 'CONNECTION',
      message: expect.stringContaining('DATABASE_URL'),
    });
    expect(translateError(failure('pg_dump', ['pg_dump: error: something new']), context)).toMatchObject({
      code: 'VALIDATION',
      message: 'pg_dump failed: something new.',
    });
  });
});
