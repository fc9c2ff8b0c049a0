import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sslOption } from '../../src/main/db/connect';
import { describeTarget, parseDatabaseUrl } from '../../src/main/db/target';

/** The seed's documented default (../shared/seed), in SQLAlchemy's form. */
const SEED_DEFAULT_URL = 'postgresql+psycopg://admin:admin123@localhost:5432/fastapi_db';

describe('DATABASE_URL', () => {
  it("accepts the seed's SQLAlchemy form", () => {
    expect(parseDatabaseUrl(SEED_DEFAULT_URL)).toEqual({
      kind: 'url',
      host: 'localhost',
      port: 5432,
      database: 'fastapi_db',
      user: 'admin',
      password: 'admin123',
    });
  });

  it.each(['postgres://a:b@h:6543/d', 'postgresql://a:b@h:6543/d', 'postgresql+psycopg2://a:b@h:6543/d', 'POSTGRESQL://a:b@h:6543/d'])(
    'accepts %s',
    (url) => {
      expect(parseDatabaseUrl(url)).toMatchObject({ host: 'h', port: 6543, database: 'd', user: 'a', password: 'b' });
    },
  );

  it('decodes percent-encoded credentials and keeps sslmode', () => {
    expect(parseDatabaseUrl('postgresql://us%40er:p%40ss%2Fw@db.example.com/my%20db?sslmode=require')).toMatchObject({
      user: 'us@er',
      password: 'p@ss/w',
      database: 'my db',
      port: 5432,
      sslMode: 'require',
    });
  });

  it('accepts IPv6 hosts', () => {
    const target = parseDatabaseUrl('postgresql://u:p@[::1]:5433/d');
    expect(target.host).toBe('::1');
    expect(describeTarget(target)).toBe('[::1]:5433/d');
  });

  it.each([
    ['mysql://u:p@h/d', 'Simple DB manages PostgreSQL only'],
    ['localhost:5432/db', 'must start with postgresql://'],
    ['postgresql://u:p@h:5432/', 'names no database'],
    ['postgresql://u:p@h:99999/d', 'not a valid address'],
    ['postgresql://u:p@h/d?sslmode=maybe', 'sslmode=maybe'],
    ['postgresql://u:50%off@h/d', "DATABASE_URL's password has a % that does not start an escape: write a literal % as %25."],
  ])('refuses %s, saying what to do and never echoing the password', (url, message) => {
    try {
      parseDatabaseUrl(url);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain(':p@');
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'DATABASE_URL' });
    }
  });

  it('describes a target without its password', () => {
    expect(describeTarget(parseDatabaseUrl(SEED_DEFAULT_URL))).toBe('localhost:5432/fastapi_db');
  });
});

describe('sslmode as node-postgres options', () => {
  const ca = path.join(os.tmpdir(), `simple-db-test-ca-${process.pid}.crt`);
  beforeAll(() => fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n'));
  afterAll(() => fs.rmSync(ca, { force: true }));
  const option = (query: string) => sslOption(parseDatabaseUrl(`postgresql://u:p@h/d${query}`));

  it('no SSL unless asked for; require encrypts without verifying', () => {
    expect(option('')).toBeUndefined();
    expect(option('?sslmode=prefer')).toBeUndefined();
    expect(option('?sslmode=require')).toEqual({ rejectUnauthorized: false });
  });

  it('verify-full checks the chain and the host; verify-ca only the chain; sslrootcert is trusted', () => {
    const full = option(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`);
    expect(full).toEqual({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    const chainOnly = option(`?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`);
    expect(chainOnly?.rejectUnauthorized).toBe(true);
    expect(chainOnly?.checkServerIdentity?.()).toBeUndefined();
  });

  it('an unreadable sslrootcert names the file and the field', () => {
    expect(() => option('?sslmode=verify-full&sslrootcert=/no/such/ca.crt')).toThrow(
      "DATABASE_URL's sslrootcert file /no/such/ca.crt does not exist. Check the path.",
    );
  });
});
