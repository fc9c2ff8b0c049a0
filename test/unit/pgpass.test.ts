import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgpassPassword, pgpassFilePath } from '../../src/main/connections/pgpass';

const PGPASS = String.raw`# hostname:port:database:username:password
db.example.com:5432:app:alice:first-match
db.example.com:5432:app:alice:never-reached
db.example.com:5432:*:alice:any-database
*:6432:*:bob:any-host-on-6432
db.example.com:*:reports:*:any-port-any-user
ip\:v6\:\:1:5432:app:carol:escaped-colons-in-host
db.example.com:5432:back\\slash:dave:pass\:with\:colons\\and-slash
db.example.com:5432:app:erin:
db.example.com:5432:app:frank:trailing:fields:ignored
db.example.com:5432:star:\*:literal-star-user
*:*:*:fallback:catch-all
`;

const spec = (overrides: Partial<{ host: string; port: number; database: string; user: string }> = {}) => ({
  host: 'db.example.com',
  port: 5432,
  database: 'app',
  user: 'alice',
  ...overrides,
});

describe('~/.pgpass', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-pgpass-'));
    fs.writeFileSync(path.join(dir, '.pgpass'), PGPASS, { mode: 0o600 });
    fs.chmodSync(path.join(dir, '.pgpass'), 0o600);
    fs.writeFileSync(path.join(dir, 'open.pgpass'), '*:*:*:*:readable-by-all\n', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'open.pgpass'), 0o644);
    fs.writeFileSync(path.join(dir, 'group.pgpass'), '*:*:*:*:readable-by-group\n');
    fs.chmodSync(path.join(dir, 'group.pgpass'), 0o640);
    fs.writeFileSync(path.join(dir, 'other.pgpass'), '*:*:*:*:from-PGPASSFILE\r\n', { mode: 0o600 });
    fs.chmodSync(path.join(dir, 'other.pgpass'), 0o600);
    fs.mkdirSync(path.join(dir, 'folder.pgpass'), { mode: 0o700 });
    env = { HOME: dir };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the file where libpq looks', () => {
    expect(pgpassFilePath({ HOME: '/home/me' }, 'linux')).toBe('/home/me/.pgpass');
    expect(pgpassFilePath({ HOME: '/home/me', PGPASSFILE: '/secrets/pgpass' }, 'linux')).toBe('/secrets/pgpass');
    expect(pgpassFilePath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe('C:\\Users\\me\\AppData\\Roaming\\postgresql\\pgpass.conf');
  });

  it('returns the first matching line', async () => {
    expect(await findPgpassPassword(spec(), env)).toBe('first-match');
  });

  it('matches * in any field', async () => {
    expect(await findPgpassPassword(spec({ database: 'other' }), env)).toBe('any-database');
    expect(await findPgpassPassword(spec({ host: 'elsewhere', port: 6432, database: 'x', user: 'bob' }), env)).toBe('any-host-on-6432');
    expect(await findPgpassPassword(spec({ port: 7000, database: 'reports', user: 'zoe' }), env)).toBe('any-port-any-user');
    expect(await findPgpassPassword(spec({ host: 'anything', port: 1, database: 'any', user: 'fallback' }), env)).toBe('catch-all');
  });

  it('compares the port as text and the host literally', async () => {
    expect(await findPgpassPassword(spec({ port: 5433, user: 'bob' }), env)).toBeNull();
    expect(await findPgpassPassword(spec({ host: 'DB.example.com', database: 'x', user: 'alice' }), env)).toBeNull();
  });

  it('undoes \\: and \\\\ in the fields and the password', async () => {
    expect(await findPgpassPassword(spec({ host: 'ip:v6::1', user: 'carol' }), env)).toBe('escaped-colons-in-host');
    expect(await findPgpassPassword(spec({ database: 'back\\slash', user: 'dave' }), env)).toBe('pass:with:colons\\and-slash');
  });

  it('reads an escaped \\* as a literal star, not a wildcard', async () => {
    expect(await findPgpassPassword(spec({ database: 'star', user: '*' }), env)).toBe('literal-star-user');
    expect(await findPgpassPassword(spec({ database: 'star', user: 'someone' }), env)).toBeNull();
  });

  it('stops the password at the next colon', async () => {
    expect(await findPgpassPassword(spec({ user: 'frank' }), env)).toBe('trailing');
  });

  it('gives no password for an empty one, and none when nothing matches', async () => {
    expect(await findPgpassPassword(spec({ user: 'erin' }), env)).toBeNull();
    expect(await findPgpassPassword(spec({ host: 'nowhere', user: 'nobody' }), env)).toBeNull();
  });

  it('never matches a comment line', async () => {
    expect(await findPgpassPassword({ host: '# hostname', port: 0, database: 'database', user: 'username' }, env)).toBeNull();
  });

  it('reads the file PGPASSFILE names (CRLF lines too)', async () => {
    expect(await findPgpassPassword(spec(), { ...env, PGPASSFILE: path.join(dir, 'other.pgpass') })).toBe('from-PGPASSFILE');
  });

  it.skipIf(process.platform === 'win32')('ignores a file the group or others may read, as libpq does', async () => {
    expect(await findPgpassPassword(spec(), { ...env, PGPASSFILE: path.join(dir, 'open.pgpass') })).toBeNull();
    expect(await findPgpassPassword(spec(), { ...env, PGPASSFILE: path.join(dir, 'group.pgpass') })).toBeNull();
  });

  it('does not check permissions on Windows', async () => {
    expect(await findPgpassPassword(spec(), { ...env, PGPASSFILE: path.join(dir, 'open.pgpass') }, 'win32')).toBe('readable-by-all');
  });

  it('returns null for a missing file or a folder', async () => {
    expect(await findPgpassPassword(spec(), { HOME: path.join(dir, 'nowhere') })).toBeNull();
    expect(await findPgpassPassword(spec(), { ...env, PGPASSFILE: path.join(dir, 'folder.pgpass') })).toBeNull();
  });
});
