import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/api/app-error';
import { translateError } from '../../src/main/api/translate-error';

const context = { where: 'db.example.com:5432/app', user: 'admin', logFile: '/var/log/simple-db.log' };
/** Sequelize's shape: the driver error sits under `parent`/`original`. */
const wrapped = (inner: Record<string, unknown>, name = 'SequelizeDatabaseError') => Object.assign(new Error('wrapped'), { name, parent: inner, original: inner });

describe('translateError', () => {
  it('passes our own errors through unchanged', () => {
    expect(translateError(new AppError('CONFLICT', 'taken', { field: 'email', existingId: 3 }), context)).toEqual({ code: 'CONFLICT', message: 'taken', field: 'email', existingId: 3 });
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
    expect(translateError(wrapped({ code: '42P01' }), context)).toMatchObject({ code: 'SCHEMA', message: expect.stringContaining('npm run migrate -- up') });
  });

  it('constraint violations name the constraint or column', () => {
    expect(translateError(wrapped({ code: '23505', constraint: 'users_email_key' }), context)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('users_email_key') });
    expect(translateError(wrapped({ code: '23502', column: 'name' }), context)).toEqual({ code: 'VALIDATION', field: 'name', message: 'name must not be empty.' });
  });

  it('SSL problems say which side to change', () => {
    expect(translateError(new Error('The server does not support SSL connections'), context).message).toContain('Remove sslmode=require');
    expect(translateError(new Error('self-signed certificate in certificate chain'), context).message).toContain('could not be verified');
  });

  it('anything else is INTERNAL, pointing at the log, never leaking the raw text', () => {
    const error = translateError(new TypeError("Cannot read properties of undefined (reading 'x') password=hunter2"), context);
    expect(error).toEqual({ code: 'INTERNAL', message: 'Something unexpected went wrong; the details are in /var/log/simple-db.log. Please report it with that file.' });
  });
});
