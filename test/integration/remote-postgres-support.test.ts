import fs from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remotePostgresAvailable, startRemotePostgres, type RemotePostgres } from '../support/remote-postgres';

/** Connects, runs `sql`, disconnects; the first row. */
async function firstRow(config: pg.ClientConfig, sql: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ database: 'postgres', connectionTimeoutMillis: 5_000, ...config });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    return rows[0] ?? {};
  } finally {
    await client.end();
  }
}

/** The error a login fails with (the test fails if it works). */
async function loginError(config: pg.ClientConfig): Promise<Error & { code?: string }> {
  const client = new pg.Client({ database: 'postgres', connectionTimeoutMillis: 5_000, ...config });
  try {
    await client.connect();
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('the login worked but should have failed');
}

const SSL_SQL = 'SELECT ssl, current_user AS "user" FROM pg_stat_ssl WHERE pid = pg_backend_pid()';

describe.skipIf(!remotePostgresAvailable)('remote test PostgreSQL: password authentication', () => {
  let server: RemotePostgres;
  beforeAll(async () => {
    server = await startRemotePostgres();
    await server.createRole('app', 'right password');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('logs in with the right password (scram-sha-256), without SSL', async () => {
    const row = await firstRow({ host: server.host, port: server.port, user: 'app', password: 'right password', ssl: false }, SSL_SQL);
    expect(row).toEqual({ ssl: false, user: 'app' });
    const { rows } = await server.query<{ method: string }>(
      "SELECT auth_method AS method FROM pg_hba_file_rules WHERE type = 'host' AND 'all' = ANY(user_name)",
    );
    expect(rows.map((r) => r.method)).toEqual(['scram-sha-256']);
  });

  it('refuses a wrong password with SQLSTATE 28P01', async () => {
    const error = await loginError({ host: server.host, port: server.port, user: 'app', password: 'wrong', ssl: false });
    expect(error.code).toBe('28P01');
    expect(error.message).toContain('password authentication failed');
  });

  it('stop() refuses connections (ECONNREFUSED) and ends open ones; start() brings it back on the same port', async () => {
    const port = server.port;
    const open = new pg.Client({ host: server.host, port, user: 'app', password: 'right password', database: 'postgres', ssl: false });
    // pg reports the shutdown (57P01) and then the closed socket: keep listening for both.
    const ended = new Promise<Error>((resolve) => open.on('error', resolve));
    await open.connect();

    await server.stop();
    expect((await ended).message).toMatch(/terminat|shut/i);
    await open.end().catch(() => undefined);
    const refused = await loginError({ host: server.host, port, user: 'app', password: 'right password', ssl: false });
    expect(refused.code).toBe('ECONNREFUSED');

    await server.start();
    expect(server.port).toBe(port);
    expect(await firstRow({ host: server.host, port, user: 'app', password: 'right password', ssl: false }, 'SELECT 1 AS one')).toEqual({ one: 1 });
  });
});

describe.skipIf(!remotePostgresAvailable)('remote test PostgreSQL: SSL', () => {
  let server: RemotePostgres;
  let ca: string;
  let otherCa: string;
  beforeAll(async () => {
    server = await startRemotePostgres({ ssl: true });
    const certs = server.certs!;
    ca = await fs.readFile(certs.caCert, 'utf8');
    otherCa = await fs.readFile(certs.otherCaCert, 'utf8');
    await server.createRole('app', 'right password');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const app = () => ({ host: server.host, port: server.port, user: 'app', password: 'right password' });

  it('verify-full: a client trusting the test CA connects to "localhost" and to 127.0.0.1 (both in the certificate)', async () => {
    expect(await firstRow({ ...app(), host: 'localhost', ssl: { ca, rejectUnauthorized: true } }, SSL_SQL)).toEqual({ ssl: true, user: 'app' });
    expect(await firstRow({ ...app(), ssl: { ca, rejectUnauthorized: true } }, SSL_SQL)).toEqual({ ssl: true, user: 'app' });
  });

  it('verify-full: a name the certificate does not hold is refused (the CA is fine, the name is not)', async () => {
    // The certificate names localhost and 127.0.0.1, and every way to reach this server is one of them.
    // Node's TLS checks the identity against `servername` when set (pg leaves it alone for an IP host), so
    // connecting to 127.0.0.1 while expecting "wrong.example" is exactly verify-full against a wrong name.
    // (For the app, which checks the host it connects to, use startRemotePostgres({ serverAltNames: ['DNS:localhost'] })
    // and connect to 127.0.0.1: see the next describe.)
    const error = await loginError({ ...app(), ssl: { ca, rejectUnauthorized: true, servername: 'wrong.example' } });
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(error.message).toContain('wrong.example');
  });

  it('a client trusting only an unrelated CA refuses the server certificate', async () => {
    const error = await loginError({ ...app(), host: 'localhost', ssl: { ca: otherCa, rejectUnauthorized: true } });
    // The server sends its chain up to the test CA (OpenSSL builds it from ssl_ca_file), so Node sees a
    // self-signed CA it does not trust; a server sending only its own certificate gives the second code.
    expect(error.code).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
  });

  it('the ssl_only role is refused without SSL ("no encryption") and logs in with it', async () => {
    const { user, password } = server.roles!.sslOnly;
    const error = await loginError({ host: server.host, port: server.port, user, password, ssl: false });
    expect(error.code).toBe('28000');
    expect(error.message).toContain('no encryption');
    expect(await firstRow({ host: server.host, port: server.port, user, password, ssl: { ca } }, SSL_SQL)).toEqual({ ssl: true, user });
  });

  it('cert_user logs in with the client certificate and no password, and not without the certificate', async () => {
    const { clientCert, clientKey } = server.certs!;
    const [cert, key] = await Promise.all([fs.readFile(clientCert, 'utf8'), fs.readFile(clientKey, 'utf8')]);
    const { user } = server.roles!.certUser;
    const row = await firstRow(
      { host: 'localhost', port: server.port, user, ssl: { ca, cert, key } },
      `${SSL_SQL.replace('ssl,', 'ssl, client_dn,')}`,
    );
    expect(row).toEqual({ ssl: true, client_dn: `/CN=${user}`, user });

    const withoutCert = await loginError({ host: 'localhost', port: server.port, user, password: 'anything', ssl: { ca } });
    expect(withoutCert.code).toBe('28000');
    expect(withoutCert.message).toContain('certificate');
  });

  it('cert_password_user needs both the client certificate and the password', async () => {
    const { clientCert, clientKey } = server.certs!;
    const [cert, key] = await Promise.all([fs.readFile(clientCert, 'utf8'), fs.readFile(clientKey, 'utf8')]);
    const { user, password } = server.roles!.certPasswordUser;
    expect(await firstRow({ host: 'localhost', port: server.port, user, password, ssl: { ca, cert, key } }, SSL_SQL)).toEqual({ ssl: true, user });
    expect((await loginError({ host: 'localhost', port: server.port, user, password, ssl: { ca } })).code).toBe('28000');
    expect((await loginError({ host: 'localhost', port: server.port, user, password: 'wrong', ssl: { ca, cert, key } })).code).toBe('28P01');
  });
});

describe.skipIf(!remotePostgresAvailable)('remote test PostgreSQL: a certificate only for "localhost"', () => {
  let server: RemotePostgres;
  let ca: string;
  beforeAll(async () => {
    server = await startRemotePostgres({ ssl: true, serverAltNames: ['DNS:localhost'] });
    ca = await fs.readFile(server.certs!.caCert, 'utf8');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('verify-full passes for localhost and fails for 127.0.0.1, the same server', async () => {
    const config = { port: server.port, user: server.superuser, password: server.superuserPassword, ssl: { ca, rejectUnauthorized: true } };
    expect(await firstRow({ ...config, host: 'localhost' }, SSL_SQL)).toEqual({ ssl: true, user: 'postgres' });
    const error = await loginError({ ...config, host: '127.0.0.1' });
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(error.message).toContain('127.0.0.1');
  });
});
