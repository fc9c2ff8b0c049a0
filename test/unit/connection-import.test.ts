import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/errors/app-error';
import { importProfiles, type ImportResult } from '../../src/main/connections/import/index';
import { nearestColor, parsePgAdminServers } from '../../src/main/connections/import/pgadmin';
import { parsePgServiceFile, pgServiceFilePath, readPgServiceFile } from '../../src/main/connections/import/pg-service';
import { importFromUrl } from '../../src/main/connections/import/url';
import { profileDraftSchema, profileSchema } from '../../src/shared/contract/connections';
import { exportProfiles } from '../../src/main/connections/import/simple-db';

/** A fixed environment: the OS user and home directory the defaults come from. */
const ENV: NodeJS.ProcessEnv = { USER: 'osuser', HOME: '/home/osuser' };

/** The seed's documented default (../shared/seed), in SQLAlchemy's form. */
const SEED_DEFAULT_URL = 'postgresql+psycopg://admin:admin123@localhost:5432/fastapi_db';

/** The VALIDATION error `run` throws, for its message and field. */
function validationError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    return error as AppError;
  }
  throw new Error('expected a VALIDATION error');
}

function only(result: ImportResult) {
  expect(result.skipped).toEqual([]);
  expect(result.drafts).toHaveLength(1);
  return result.drafts[0]!;
}

describe('importing a URL', () => {
  it("reads the seed's SQLAlchemy URL into one draft with its password as a secret", () => {
    expect(importFromUrl(SEED_DEFAULT_URL, ENV)).toEqual({
      drafts: [
        {
          profile: {
            name: 'fastapi_db on localhost',
            host: 'localhost',
            port: 5432,
            database: 'fastapi_db',
            user: 'admin',
            ssl: { mode: 'prefer' },
            color: 'none',
            readOnly: false,
          },
          secrets: { password: 'admin123' },
        },
      ],
      skipped: [],
    });
  });

  it.each([
    'postgres://a:b@h:6543/d',
    'postgresql://a:b@h:6543/d',
    'postgresql+psycopg2://a:b@h:6543/d',
    'POSTGRESQL+ASYNCPG://a:b@h:6543/d',
    'jdbc:postgresql://h:6543/d?user=a&password=b',
    '  postgresql://a:b@h:6543/d\n',
  ])('accepts %s', (url) => {
    const { profile, secrets } = only(importFromUrl(url, ENV));
    expect(profile).toMatchObject({ host: 'h', port: 6543, database: 'd', user: 'a' });
    expect(secrets).toEqual({ password: 'b' });
  });

  it('decodes percent-encoded user names, passwords and database names', () => {
    const { profile, secrets } = only(importFromUrl('postgresql://us%40er:p%40ss%2Fw%3A%25rd@db.example.com/my%20db', ENV));
    expect(profile).toMatchObject({ user: 'us@er', database: 'my db', host: 'db.example.com', port: 5432, name: 'my db on db.example.com' });
    expect(secrets).toEqual({ password: 'p@ss/w:%rd' });
  });

  it('keeps the SSL settings and ignores parameters Simple DB does not use', () => {
    const { profile } = only(
      importFromUrl(
        'postgresql://me@db.example.com/app?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fca.pem&sslcert=~/.postgresql/me.crt&sslkey=/k/me.key&connect_timeout=5',
        ENV,
      ),
    );
    expect(profile.ssl).toEqual({ mode: 'verify-full', rootCert: '/etc/ssl/ca.pem', cert: '/home/osuser/.postgresql/me.crt', key: '/k/me.key' });
  });

  it('reads ssl=true as sslmode=require, unless sslmode says otherwise', () => {
    expect(only(importFromUrl('postgres://me@h/d?ssl=true', ENV)).profile.ssl.mode).toBe('require');
    expect(only(importFromUrl('postgres://me@h/d?ssl=true&sslmode=verify-ca', ENV)).profile.ssl.mode).toBe('verify-ca');
  });

  it('takes sslrootcert=system to mean verify-full, as libpq 16 does', () => {
    expect(only(importFromUrl('postgres://me@h/d?sslrootcert=system', ENV)).profile.ssl).toEqual({ mode: 'verify-full', rootCert: 'system' });
  });

  it('accepts IPv6 hosts in brackets', () => {
    expect(only(importFromUrl('postgresql://u:p@[::1]:5433/d', ENV)).profile).toMatchObject({ host: '::1', port: 5433, name: 'd on ::1' });
    expect(only(importFromUrl('postgresql://u@[2001:db8::7]/d', ENV)).profile).toMatchObject({ host: '2001:db8::7', port: 5432 });
  });

  it("fills libpq's defaults: localhost, 5432, the OS user, a database named like the user, no password", () => {
    const { profile, secrets } = only(importFromUrl('postgresql://', ENV));
    expect(profile).toMatchObject({ host: 'localhost', port: 5432, user: 'osuser', database: 'osuser', name: 'osuser on localhost' });
    expect(secrets).toEqual({});
    expect(only(importFromUrl('postgresql:///app?host=db&port=6000', ENV)).profile).toMatchObject({ host: 'db', port: 6000, database: 'app' });
  });

  it('reads an empty password as none', () => {
    expect(only(importFromUrl('postgresql://me:@h/d', ENV)).secrets).toEqual({});
  });

  it.each([
    ['mysql://u:p@h/d', 'Simple DB manages PostgreSQL only'],
    ['localhost:5432/db', 'Expected a postgresql:// URL'],
    ['', 'Paste a postgresql:// URL'],
    ['postgresql://u:p@h:99999/d', 'The port must be a number from 1 to 65535'],
    ['postgresql://u:p@h:abc/d', 'The port must be a number from 1 to 65535'],
    ['postgresql://u:p@h1:5432,h2:5432/d', 'one host per profile'],
    ['postgresql://u:p@h/d?host=h1,h2', 'one host per profile'],
    ['postgresql://u:p@::1/d', 'IPv6 address goes in brackets'],
    ['postgresql://u:p@[::1/d', 'no closing ]'],
    ['postgresql://u:p@h/d?sslmode=strict', 'sslmode "strict" is not one of'],
    ['postgresql://u:p@h/d%ZZ', 'database name has a % that does not start an escape'],
    ['postgresql://u:p@h/d?sslmode', 'sslmode has no value'],
  ])('refuses %j: %s', (url, message) => {
    const error = validationError(() => importFromUrl(url, ENV));
    expect(error.message).toContain(message);
    expect(error.field).toBe('text');
  });

  it.each([
    ['a password with a bad escape', 'postgresql://admin:s3cr%et@h/d', 's3cr'],
    ['a password holding an unencoded /', 'postgresql://admin:s3cr/et@h/d', 's3cr'],
    ['a password holding an unencoded #', 'postgresql://admin:s3cr#et@h/d', 's3cr'],
    ['a password holding an unencoded ?', 'postgresql://admin:s3cr?et@h/d', 's3cr'],
    ['a password split into a port', 'postgresql://admin:s3cret/x=1@h/d', 's3cret'],
    ['a password on a second host', 'postgresql://admin:s3cret@h1,h2/d', 's3cret'],
  ])('never repeats the password: %s', (_what, url, secret) => {
    const error = validationError(() => importFromUrl(url, ENV));
    expect(error.field).toBe('text');
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(url);
  });

  it('names the percent-encoding problem for an unencoded @ in the password', () => {
    expect(validationError(() => importFromUrl('postgresql://admin:p/w@h/d', ENV)).message).toContain('must be percent-encoded');
    expect(validationError(() => importFromUrl('postgresql://admin:s3cr%et@h/d', ENV)).message).toContain("The URL's password has a %");
  });

  it('skips (rather than throws) a draft the profile schema refuses, with its message', () => {
    const result = importFromUrl(`postgresql://u@h/${'d'.repeat(64)}`, ENV);
    expect(result.drafts).toEqual([]);
    expect(result.skipped).toEqual([{ name: expect.stringContaining('ddd'), reason: 'The database is at most 63 characters.' }]);
  });
});

describe('importing a key=value connection string', () => {
  it('reads the settings libpq reads and ignores the others', () => {
    const { profile, secrets } = only(importFromUrl('host=db port=5433 dbname=app user=me password=pw sslmode=require application_name=psql', ENV));
    expect(profile).toEqual({
      name: 'app on db',
      host: 'db',
      port: 5433,
      database: 'app',
      user: 'me',
      ssl: { mode: 'require' },
      color: 'none',
      readOnly: false,
    });
    expect(secrets).toEqual({ password: 'pw' });
  });

  it('handles single quotes, backslash escapes and spaces around = as libpq does', () => {
    const { profile, secrets } = only(
      importFromUrl(String.raw`host = db  dbname='my app' user=o\'brien password='it\'s a \\secret' sslrootcert='/c/my ca.pem'`, ENV),
    );
    expect(profile).toMatchObject({ host: 'db', database: 'my app', user: "o'brien", ssl: { mode: 'prefer', rootCert: '/c/my ca.pem' } });
    expect(secrets).toEqual({ password: String.raw`it's a \secret` });
  });

  it('accepts an empty quoted value as unset', () => {
    expect(only(importFromUrl("host=db password='' dbname=app", ENV)).secrets).toEqual({});
  });

  it('reads hostaddr when there is no host', () => {
    expect(only(importFromUrl('hostaddr=10.0.0.5 dbname=app', ENV)).profile).toMatchObject({
      host: '10.0.0.5',
      user: 'osuser',
      name: 'app on 10.0.0.5',
    });
  });

  it.each([
    ['host=db password=s3cret words dbname=app', 'Expected key=value after the value of password', 's3cret'],
    ["host=db password='s3cret", "The value of password opens a quote (') that is never closed", 's3cret'],
    ['host=db port=fifty password=s3cret', 'The port must be a number from 1 to 65535', 's3cret'],
    ['host=a,b password=s3cret', 'one host per profile', 's3cret'],
    ['host=db sslmode=maybe password=s3cret', 'sslmode "maybe" is not one of', 's3cret'],
  ])('refuses %j: %s, without repeating the password', (input, message, secret) => {
    const error = validationError(() => importFromUrl(input, ENV));
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(secret);
    expect(error.field).toBe('text');
  });
});

const SERVICE_FILE = `# ~/.pg_service.conf: shared by psql, pg_dump and friends
# (comments and blank lines are ignored)

[prod]
host=db.prod.example.com
port=5433
dbname=orders
user=app_ro
sslmode=verify-full
sslrootcert=~/.postgresql/prod-ca.pem
# the password belongs in ~/.pgpass, but people do this:
password=pr0d-pw
application_name=from-service

[staging]
  host = db.staging.example.com
dbname=orders
user=app
host=ignored.example.com

[local]
# nothing at all: libpq's defaults

[broken]
host=db.broken.example.com
s3cret-without-a-key
dbname=x

[ipv6]
hostaddr=::1
port=5432
dbname=app
user=me

[prod]
host=second-prod.example.com
`;

describe('importing pg_service.conf', () => {
  const result = parsePgServiceFile(SERVICE_FILE, ENV);

  it('imports each service under its name, with libpq defaults for what it leaves out', () => {
    expect(result.drafts.map((draft) => draft.profile.name)).toEqual(['prod', 'staging', 'local', 'ipv6']);
    expect(result.drafts[0]).toEqual({
      profile: {
        name: 'prod',
        host: 'db.prod.example.com',
        port: 5433,
        database: 'orders',
        user: 'app_ro',
        ssl: { mode: 'verify-full', rootCert: '/home/osuser/.postgresql/prod-ca.pem' },
        color: 'none',
        readOnly: false,
      },
      secrets: { password: 'pr0d-pw' },
    });
    expect(result.drafts[1]).toMatchObject({ profile: { host: 'db.staging.example.com', port: 5432, database: 'orders', user: 'app' }, secrets: {} });
    expect(result.drafts[2]!.profile).toMatchObject({ host: 'localhost', port: 5432, user: 'osuser', database: 'osuser', ssl: { mode: 'prefer' } });
    expect(result.drafts[3]!.profile).toMatchObject({ host: '::1', user: 'me' });
  });

  it('skips a service with a line that is not key=value, naming the line and not repeating it', () => {
    const broken = result.skipped.find((skip) => skip.name === 'broken');
    expect(broken?.reason).toBe('Line 26 is not key=value.');
    expect(JSON.stringify(result.skipped)).not.toContain('s3cret');
  });

  it('skips a second service of the same name, as libpq reads only the first', () => {
    expect(result.skipped).toContainEqual({
      name: 'prod',
      reason: 'Line 35: the service prod is already defined on line 4, and libpq uses the first one.',
    });
    expect(result.skipped).toHaveLength(2);
  });

  it('reports a broken line above the first section, and ignores settings there', () => {
    const { drafts, skipped } = parsePgServiceFile('host=ignored\nnot a setting\n[svc]\ndbname=app\n', ENV);
    expect(drafts.map((draft) => draft.profile)).toMatchObject([{ name: 'svc', host: 'localhost', database: 'app' }]);
    expect(skipped).toEqual([{ name: '(before the first [service])', reason: 'Line 2 is not key=value. Settings go below a [service] header.' }]);
  });

  it('skips services whose settings Simple DB cannot use, and unclosed headers', () => {
    const { drafts, skipped } = parsePgServiceFile('[multi]\nhost=a,b\n[badport]\nport=0\n[ssl]\nsslmode=on\n[open\nhost=x\r\n[]\nhost=y\n', ENV);
    expect(drafts).toEqual([]);
    expect(skipped.map((skip) => skip.name)).toEqual(['multi', 'badport', 'ssl', 'open', '(line 9)']);
    expect(skipped[0]!.reason).toContain('one host per profile');
    expect(skipped[1]!.reason).toBe('The port must be a number from 1 to 65535.');
    expect(skipped[2]!.reason).toContain('sslmode "on" is not one of');
    expect(skipped[3]!.reason).toContain('Line 7');
    expect(skipped[4]!.reason).toBe('Line 9: the [] header names no service.');
  });

  it('skips a service the profile schema refuses, with its message', () => {
    const { drafts, skipped } = parsePgServiceFile(`[${'n'.repeat(81)}]\nhost=db\n`, ENV);
    expect(drafts).toEqual([]);
    expect(skipped[0]!.reason).toBe('The name is at most 80 characters.');
  });

  it('finds the file where libpq looks', () => {
    expect(pgServiceFilePath({ HOME: '/home/me' }, 'linux')).toBe('/home/me/.pg_service.conf');
    expect(pgServiceFilePath({ HOME: '/home/me', PGSERVICEFILE: '/etc/services.conf' }, 'linux')).toBe('/etc/services.conf');
    expect(pgServiceFilePath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\postgresql\\.pg_service.conf',
    );
  });

  describe('reading the file', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-service-'));
      fs.writeFileSync(path.join(dir, '.pg_service.conf'), '[home]\nhost=h\ndbname=d\n');
      fs.writeFileSync(path.join(dir, 'other.conf'), '[other]\nhost=o\n');
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads ~/.pg_service.conf, or the file PGSERVICEFILE names', async () => {
      expect((await readPgServiceFile({ ...ENV, HOME: dir })).drafts.map((draft) => draft.profile.name)).toEqual(['home']);
      const other = await readPgServiceFile({ ...ENV, HOME: dir, PGSERVICEFILE: path.join(dir, 'other.conf') });
      expect(other.drafts.map((draft) => draft.profile.host)).toEqual(['o']);
    });

    it('says where it looked when there is no file, and that PGSERVICEFILE can point elsewhere', async () => {
      const missing = path.join(dir, 'nowhere');
      await expect(readPgServiceFile({ ...ENV, HOME: missing })).rejects.toMatchObject({
        code: 'VALIDATION',
        field: 'text',
        message: expect.stringMatching(new RegExp(`no service file at ${path.join(missing, '.pg_service.conf')}.*PGSERVICEFILE`)),
      });
      await expect(readPgServiceFile({ ...ENV, PGSERVICEFILE: path.join(dir, 'gone.conf') })).rejects.toMatchObject({
        message: expect.stringContaining(`PGSERVICEFILE names ${path.join(dir, 'gone.conf')}, which does not exist`),
      });
      await expect(readPgServiceFile({ ...ENV, PGSERVICEFILE: dir })).rejects.toMatchObject({ message: expect.stringContaining('is a folder') });
    });

    it('is what importProfiles reads for pg-service without text', async () => {
      expect((await importProfiles('pg-service', undefined, { ...ENV, HOME: dir })).drafts.map((draft) => draft.profile.name)).toEqual(['home']);
      expect((await importProfiles('pg-service', '[pasted]\nhost=p\n', { ...ENV, HOME: dir })).drafts.map((draft) => draft.profile.name)).toEqual([
        'pasted',
      ]);
    });
  });
});

/** A pgAdmin 4 (8.x) export: SSL settings in ConnectionParameters. */
const PGADMIN_NEW = {
  Servers: {
    '1': {
      Name: 'Production',
      Group: 'Customers',
      Host: 'db.prod.example.com',
      Port: 5432,
      MaintenanceDB: 'postgres',
      Username: 'admin',
      Shared: false,
      Comment: 'careful',
      BGColor: '#E53935',
      FGColor: '#FFFFFF',
      ConnectionParameters: {
        sslmode: 'verify-full',
        sslrootcert: '~/.postgresql/root.crt',
        sslcert: '/certs/client.crt',
        sslkey: '/certs/client.key',
        connect_timeout: 10,
        passfile: '/home/me/.pgpass',
      },
      UseSSHTunnel: 1,
      TunnelHost: 'bastion.example.com',
      TunnelPort: '2222',
      TunnelUsername: 'jump',
      TunnelAuthentication: 1,
      TunnelIdentityFile: '~/.ssh/id_ed25519',
      TunnelKeepAlive: 30,
    },
    '2': {
      Name: 'Production',
      Group: 'Internal',
      Host: 'db.internal',
      Port: 6432,
      MaintenanceDB: 'ops',
      Username: 'ops',
      BGColor: '#1E88E5',
      ConnectionParameters: { sslmode: 'prefer', connect_timeout: 10 },
      UseSSHTunnel: 1,
      TunnelHost: 'bastion.internal',
      TunnelPort: '22',
      TunnelUsername: 'ops',
      TunnelAuthentication: 0,
    },
    '3': {
      Name: 'Via service',
      Group: 'Servers',
      Port: 5432,
      Username: 'me',
      MaintenanceDB: 'postgres',
      Service: 'prod',
      ConnectionParameters: { sslmode: 'prefer' },
    },
    '4': {
      Name: 'Local',
      Group: 'Servers',
      Host: 'localhost',
      Port: 5432,
      MaintenanceDB: 'postgres',
      Username: 'postgres',
      ConnectionParameters: { sslmode: 'disable' },
      UseSSHTunnel: 0,
    },
  },
};

/** A pgAdmin 4 (5.x) export: SSL settings at the top level. */
const PGADMIN_OLD = {
  Servers: {
    '1': {
      Name: 'Legacy',
      Group: 'Servers',
      Host: '10.1.2.3',
      Port: 5433,
      MaintenanceDB: 'legacy',
      Username: 'legacy_admin',
      SSLMode: 'require',
      SSLRootCert: '~/certs/ca.pem',
      SSLCert: '<STORAGE_DIR>/client.crt',
      SSLCompression: 0,
      Timeout: 10,
      UseSSHTunnel: 0,
      TunnelPort: '22',
      TunnelAuthentication: 0,
      BGColor: '#43A047',
    },
  },
};

describe('importing a pgAdmin servers.json', () => {
  const result = parsePgAdminServers(JSON.stringify(PGADMIN_NEW, null, 4), ENV);

  it('imports the servers, prefixing the group only where two share a name', () => {
    expect(result.drafts.map((draft) => draft.profile.name)).toEqual(['Customers / Production', 'Internal / Production', 'Local']);
  });

  it('reads SSL settings from ConnectionParameters, and the SSH tunnel with its identity file', () => {
    expect(result.drafts[0]).toEqual({
      profile: {
        name: 'Customers / Production',
        host: 'db.prod.example.com',
        port: 5432,
        database: 'postgres',
        user: 'admin',
        ssl: { mode: 'verify-full', rootCert: '/home/osuser/.postgresql/root.crt', cert: '/certs/client.crt', key: '/certs/client.key' },
        ssh: { host: 'bastion.example.com', port: 2222, user: 'jump', auth: 'key', privateKeyFile: '/home/osuser/.ssh/id_ed25519' },
        color: 'red',
        readOnly: false,
      },
      secrets: {},
    });
    expect(result.drafts[1]!.profile).toMatchObject({
      port: 6432,
      database: 'ops',
      ssl: { mode: 'prefer' },
      ssh: { host: 'bastion.internal', port: 22, user: 'ops', auth: 'password' },
      color: 'blue',
    });
    expect(result.drafts[2]!.profile).toMatchObject({ ssl: { mode: 'disable' }, color: 'none' });
    expect(result.drafts[2]!.profile.ssh).toBeUndefined();
  });

  it('never has a password to import', () => {
    expect(result.drafts.every((draft) => Object.keys(draft.secrets).length === 0)).toBe(true);
  });

  it('skips a server that connects through a service', () => {
    expect(result.skipped).toEqual([{ name: 'Via service', reason: expect.stringContaining('service "prod" of pg_service.conf') }]);
  });

  it('reads SSL settings at the top level of older exports', () => {
    const { profile, secrets } = only(parsePgAdminServers(JSON.stringify(PGADMIN_OLD), ENV));
    expect(profile).toEqual({
      name: 'Legacy',
      host: '10.1.2.3',
      port: 5433,
      database: 'legacy',
      user: 'legacy_admin',
      ssl: { mode: 'require', rootCert: '/home/osuser/certs/ca.pem', cert: '<STORAGE_DIR>/client.crt' },
      color: 'green',
      readOnly: false,
    });
    expect(secrets).toEqual({});
  });

  it('prefers ConnectionParameters over the top-level settings when both are there', () => {
    const server = { ...PGADMIN_OLD.Servers['1'], ConnectionParameters: { sslmode: 'verify-ca' } };
    expect(only(parsePgAdminServers(JSON.stringify({ Servers: { '1': server } }), ENV)).profile.ssl.mode).toBe('verify-ca');
  });

  it('keeps names unique even when group and name repeat', () => {
    const server = { Name: 'Dev', Group: 'G', Host: 'h', Port: 5432, Username: 'u', MaintenanceDB: 'postgres' };
    const { drafts } = parsePgAdminServers(JSON.stringify({ Servers: { '1': server, '2': server, '3': { ...server, Name: 'Other' } } }), ENV);
    expect(drafts.map((draft) => draft.profile.name)).toEqual(['G / Dev', 'G / Dev (2)', 'Other']);
  });

  it('skips servers without a host or port, or with settings Simple DB cannot use', () => {
    const { drafts, skipped } = parsePgAdminServers(
      JSON.stringify({
        Servers: {
          '1': { Name: 'No host', Port: 5432, Username: 'u' },
          '2': { Name: 'No port', Host: 'h', Username: 'u' },
          '3': { Name: 'Bad SSL', Host: 'h', Port: 5432, Username: 'u', SSLMode: 'sometimes' },
          '4': { Name: 'Tunnel without host', Host: 'h', Port: 5432, Username: 'u', UseSSHTunnel: 1, TunnelUsername: 't' },
          '5': 'not an object',
          '6': { Name: 'x'.repeat(81), Host: 'h', Port: 5432, Username: 'u' },
        },
      }),
      ENV,
    );
    expect(drafts).toEqual([]);
    expect(skipped).toEqual([
      { name: 'No host', reason: 'It has no Host.' },
      { name: 'No port', reason: 'It has no Port.' },
      { name: 'Bad SSL', reason: expect.stringContaining('sslmode "sometimes" is not one of') },
      { name: 'Tunnel without host', reason: 'It uses an SSH tunnel but names no TunnelHost.' },
      { name: 'Server 5', reason: 'It is not an object.' },
      { name: 'x'.repeat(81), reason: 'The name is at most 80 characters.' },
    ]);
  });

  it.each([
    ['{"Servers": {"1": {"Name": "x",}}}', /Expected double-quoted property name at line 1, column 32 \(position 31\)/],
    ['{\n  "Servers": x\n}', /Unexpected token 'x' at line 2, column 14 \(position 15\)/],
    ['{"Servers": {"1": ', /Unexpected end of JSON input at line 1, column 19 \(position 18\)/],
    ['{"Servers": {', /Expected property name or '}' at line 1, column 14 \(position 13\)/],
  ])('refuses bad JSON %j with where the parser stopped', (input, message) => {
    const error = validationError(() => parsePgAdminServers(input, ENV));
    expect(error.field).toBe('text');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('not valid JSON');
  });

  it('refuses JSON that is not a pgAdmin export', () => {
    expect(validationError(() => parsePgAdminServers('[1, 2]', ENV)).message).toContain('no "Servers" object');
    expect(validationError(() => parsePgAdminServers('{"servers": {}}', ENV)).field).toBe('text');
  });

  it.each([
    ['#E53935', 'red'],
    ['#ff7f00', 'orange'],
    ['#FDD835', 'yellow'],
    ['#43a047', 'green'],
    ['#00BCD4', 'blue'],
    ['#1E88E5', 'blue'],
    ['#8E24AA', 'purple'],
    ['#F06292', 'red'],
    ['#777', 'grey'],
    ['#FFFFFF', 'grey'],
    ['red', 'none'],
    [undefined, 'none'],
  ])('maps BGColor %s to %s', (css, color) => {
    expect(nearestColor(css)).toBe(color);
  });
});

describe('importProfiles', () => {
  it('dispatches on the source, and every draft passes the profile schema', async () => {
    const results = await Promise.all([
      importProfiles('url', SEED_DEFAULT_URL, ENV),
      importProfiles('pg-service', SERVICE_FILE, ENV),
      importProfiles('pgadmin', JSON.stringify(PGADMIN_NEW), ENV),
      importProfiles('pgadmin', JSON.stringify(PGADMIN_OLD), ENV),
    ]);
    expect(results.map((result) => result.drafts.length)).toEqual([1, 4, 3, 1]);
    for (const draft of results.flatMap((result) => result.drafts)) expect(profileDraftSchema.parse(draft.profile)).toEqual(draft.profile);
  });

  it('asks for text where there is nothing to read', async () => {
    await expect(importProfiles('url', undefined, ENV)).rejects.toMatchObject({ code: 'VALIDATION', field: 'text' });
    await expect(importProfiles('pgadmin', undefined, ENV)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('servers.json'),
    });
  });
});

describe('Simple DB’s own connections file', () => {
  const saved = profileSchema.parse({
    id: 'p-1',
    name: 'Prod',
    host: 'db.example.com',
    port: 5433,
    database: 'app',
    user: 'admin',
    ssl: { mode: 'verify-full', rootCert: '/etc/ssl/ca.pem' },
    ssh: {
      host: 'bastion.example.com',
      user: 'ops',
      auth: 'key',
      privateKeyFile: '/home/ops/.ssh/id_ed25519',
      jump: { host: 'jump', user: 'ops', auth: 'agent' },
    },
    color: 'red',
    readOnly: true,
  });

  it('exports every setting but the id, and reads back the same profile', async () => {
    const text = exportProfiles([saved], new Date('2026-11-29T00:00:00Z'));
    expect(text).not.toContain('p-1');
    const { drafts, skipped } = await importProfiles('simple-db', text);
    expect(skipped).toEqual([]);
    const { id: _id, ...withoutId } = saved;
    expect(drafts).toEqual([{ profile: withoutId, secrets: {} }]);
  });

  it('refuses another kind of file, and skips an entry it cannot take, saying why', async () => {
    await expect(importProfiles('simple-db', '{"Servers": {}}')).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'text',
      message: expect.stringMatching(/not a Simple DB connections file/),
    });
    const text = JSON.stringify({
      format: 'simple-db-connections',
      version: 1,
      connections: [{ name: 'Broken', host: 'h', port: 70000, database: 'd', user: 'u' }],
    });
    const { drafts, skipped } = await importProfiles('simple-db', text);
    expect(drafts).toEqual([]);
    expect(skipped).toEqual([{ name: 'Broken', reason: expect.stringContaining('Ports go from 1 to 65535') }]);
  });
});
