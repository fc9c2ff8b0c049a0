import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { AppInfo, BackupEntry, ConnectionEntry, ConnectionTestResult, RestoreResult, UserListOutput } from '../../src/shared/contract';
import type { ApiError } from '../../src/shared/errors';
import { tableChecksums } from '../support/backups';
import { fails, jobOn, ok, remoteClient, saveProfile, startTestApp, type TestApp } from '../support/connections';
import { applyMigrations, createTestDatabase } from '../support/database';
import { remotePostgresAvailable, startRemotePostgres, type RemotePostgres } from '../support/remote-postgres';

const CERT_DB = 'certdb';

describe.skipIf(!remotePostgresAvailable)('SSL settings of a profile, against a real PostgreSQL with SSL', () => {
  let server: RemotePostgres;
  /** Its certificate names localhost only: 127.0.0.1 is a name mismatch. */
  let localhostOnly: RemotePostgres;
  let app: TestApp;
  let backend: Backend;
  const savedPgpassFile = process.env.PGPASSFILE;

  beforeAll(async () => {
    process.env.PGPASSFILE = '/nonexistent/simple-db-test-pgpass';
    [server, localhostOnly] = await Promise.all([
      startRemotePostgres({ ssl: true }),
      startRemotePostgres({ ssl: true, serverAltNames: ['DNS:localhost'] }),
    ]);
    await server.createDatabase(CERT_DB, server.roles!.certUser.user);
    const { url } = await createTestDatabase('ssl_start');
    app = await startTestApp({ databaseUrl: url });
    backend = app.backend;
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.destroy(), localhostOnly?.destroy()]);
    if (savedPgpassFile === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = savedPgpassFile;
  });

  const certs = () => server.certs!;
  const sslOnly = (overrides: Record<string, unknown> = {}) => ({
    name: 'SSL only',
    host: server.host,
    port: server.port,
    database: 'postgres',
    user: server.roles!.sslOnly.user,
    ...overrides,
  });
  /** cert_user: SSL and a client certificate, no password; verified fully against the test CA. */
  const certProfile = (overrides: Record<string, unknown> = {}) => ({
    name: 'Client certificate',
    host: 'localhost',
    port: server.port,
    database: CERT_DB,
    user: server.roles!.certUser.user,
    ssl: { mode: 'verify-full', rootCert: certs().caCert, cert: certs().clientCert, key: certs().clientKey },
    ...overrides,
  });

  /** Saves a profile, opens it, returns the error and deletes the profile again. */
  async function openError(profile: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<ApiError> {
    const saved = await saveProfile(backend, profile, secrets);
    try {
      const error = await fails(backend, 'connections.open', { id: saved.id });
      expect(error.code).toBe('CONNECTION');
      return error;
    } finally {
      await ok(backend, 'connections.delete', { id: saved.id });
    }
  }

  /** Saves and opens a profile; the caller deletes it. */
  async function opened(profile: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<ConnectionEntry> {
    const saved = await saveProfile(backend, profile, secrets);
    return ok<ConnectionEntry>(backend, 'connections.open', { id: saved.id });
  }

  /** What pg_stat_ssl says about the app's own sessions on `server`. */
  async function appSessionsSsl(on: RemotePostgres, user: string): Promise<boolean[]> {
    const { rows } = await on.query<{ ssl: boolean }>(
      "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'simple-db' AND a.usename = $1",
      [user],
    );
    return rows.map((row) => row.ssl);
  }

  it('a role the server accepts only over SSL, with sslmode disable: says to turn SSL on, at the SSL mode field', async () => {
    const error = await openError(sslOnly({ name: 'No SSL', ssl: { mode: 'disable' } }), { password: server.roles!.sslOnly.password });
    expect(error).toMatchObject({ field: 'profile.ssl.mode' });
    expect(error.message).toBe(
      `${server.host}:${server.port}/postgres accepts user "ssl_only" only over SSL (its pg_hba.conf refuses unencrypted connections). Set the SSL mode to require or verify-full.`,
    );
  });

  it('the same role with the default sslmode (prefer) is encrypted and gets in', async () => {
    const entry = await opened(sslOnly({ name: 'Prefer' }), { password: server.roles!.sslOnly.password });
    try {
      expect(entry).toMatchObject({ state: 'open', sslMode: 'prefer' });
      expect((await ok<AppInfo>(backend, 'app.info', {}, entry.id)).database).toMatchObject({ user: 'ssl_only', name: 'postgres' });
      expect(await appSessionsSsl(server, 'ssl_only')).toContain(true);
      expect(await appSessionsSsl(server, 'ssl_only')).not.toContain(false);
    } finally {
      await ok(backend, 'connections.delete', { id: entry.id });
    }
  });

  it('sslmode allow tries without SSL first, and encrypts when the server refuses that, as libpq does', async () => {
    const entry = await opened(sslOnly({ name: 'Allow', ssl: { mode: 'allow' } }), { password: server.roles!.sslOnly.password });
    try {
      expect(entry).toMatchObject({ state: 'open', sslMode: 'allow' });
      expect((await ok<AppInfo>(backend, 'app.info', {}, entry.id)).database.user).toBe('ssl_only');
      expect(await appSessionsSsl(server, 'ssl_only')).not.toContain(false);
    } finally {
      await ok(backend, 'connections.delete', { id: entry.id });
    }
  });

  it('a server certificate from a CA the profile does not trust', async () => {
    const error = await openError(sslOnly({ name: 'Other CA', host: 'localhost', ssl: { mode: 'verify-full', rootCert: certs().otherCaCert } }), {
      password: server.roles!.sslOnly.password,
    });
    expect(error).toMatchObject({ field: 'profile.ssl.rootCert' });
    expect(error.message).toBe(
      `The SSL certificate of localhost:${server.port}/postgres is not signed by a CA this connection trusts. Check the CA certificate (sslrootcert) of the connection “Other CA”. (sslmode=require encrypts without verifying.)`,
    );
  });

  it('a certificate issued for another name than the host (verify-full), and verify-ca, which does not check the name', async () => {
    const profile = {
      name: 'By address',
      host: '127.0.0.1',
      port: localhostOnly.port,
      database: 'postgres',
      user: localhostOnly.roles!.sslOnly.user,
      ssl: { mode: 'verify-full', rootCert: localhostOnly.certs!.caCert },
    };
    const secrets = { password: localhostOnly.roles!.sslOnly.password };
    const error = await openError(profile, secrets);
    expect(error).toMatchObject({ field: 'profile.host' });
    expect(error.message).toMatch(
      new RegExp(
        `^The SSL certificate of 127\\.0\\.0\\.1:${localhostOnly.port}/postgres was issued for another name \\(.*127\\.0\\.0\\.1.*\\)\\. Connect by a name the certificate lists, or use verify-ca, which checks the CA but not the name\\.$`,
      ),
    );
    // By the name it lists, it works; so does verify-ca by address.
    for (const fixed of [
      { ...profile, name: 'By name', host: 'localhost' },
      { ...profile, name: 'CA only', ssl: { mode: 'verify-ca', rootCert: localhostOnly.certs!.caCert } },
    ]) {
      const entry = await opened(fixed, secrets);
      try {
        expect(entry.state).toBe('open');
        expect((await ok<AppInfo>(backend, 'app.info', {}, entry.id)).database.host).toBe(fixed.host);
      } finally {
        await ok(backend, 'connections.delete', { id: entry.id });
      }
    }
  });

  it('verify-full with a client certificate logs in without a password; without the certificate the server says it wants one', async () => {
    const entry = await opened(certProfile());
    try {
      expect(entry).toMatchObject({ state: 'open', sslMode: 'verify-full', savedSecrets: [] });
      expect((await ok<AppInfo>(backend, 'app.info', {}, entry.id)).database).toMatchObject({ user: 'cert_user', name: CERT_DB, host: 'localhost' });
      expect(await appSessionsSsl(server, 'cert_user')).not.toContain(false);
    } finally {
      await ok(backend, 'connections.delete', { id: entry.id });
    }

    const error = await openError(certProfile({ name: 'No certificate', ssl: { mode: 'verify-full', rootCert: certs().caCert } }));
    expect(error).toMatchObject({ field: 'profile.ssl.cert' });
    expect(error.message).toMatch(
      new RegExp(
        `^localhost:${server.port}/${CERT_DB} wants a client certificate from user "cert_user" \\(.*certificate.*\\)\\. Set the client certificate and key files of the connection, issued by a CA the server trusts for that user\\.$`,
      ),
    );
    expect(error.offer).toBeUndefined();
  });

  it('a certificate file that is not there is named, at its field', async () => {
    const error = await fails(backend, 'connections.open', {
      id: (await saveProfile(backend, certProfile({ name: 'Missing file', ssl: { mode: 'verify-full', rootCert: '/nonexistent/ca.crt' } }))).id,
    });
    expect(error).toMatchObject({
      code: 'VALIDATION',
      field: 'profile.ssl.rootCert',
      message: 'The sslrootcert file /nonexistent/ca.crt does not exist. Check the path.',
    });
  });

  it('"Test connection" reports the SSL protocol and cipher when encrypted, null when not, and the schema state', async () => {
    const encrypted = await jobOn(backend, 'connections.test', { profile: certProfile({ name: 'Test SSL' }) });
    expect(encrypted).toMatchObject({ state: 'succeeded', error: null });
    const result = encrypted.result as ConnectionTestResult;
    expect(result.steps.map((step) => `${step.id}:${step.state}`)).toEqual(['connect:ok', 'login:ok', 'version:ok', 'ssl:ok', 'schema:ok']);
    expect(result.ssl).toEqual({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), cipher: expect.stringMatching(/\S/) });
    expect(result.steps.find((step) => step.id === 'ssl')?.detail).toBe(`SSL ${result.ssl!.protocol}, ${result.ssl!.cipher}`);
    expect(result.serverVersion).toMatch(/^15\./);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.migrations?.applied).toEqual([]);
    expect(result.migrations?.pending).toHaveLength(3);
    expect(result.steps.find((step) => step.id === 'schema')?.detail).toBe('not set up yet (migrations can create it)');
    expect(encrypted.summary).toMatch(/^PostgreSQL 15\.\d+\b.*, [\d.]+ ms, SSL$/);

    const plain = await jobOn(backend, 'connections.test', {
      profile: { name: 'Test plain', host: server.host, port: server.port, database: 'postgres', user: server.superuser, ssl: { mode: 'disable' } },
      secrets: { password: server.superuserPassword },
    });
    expect(plain).toMatchObject({ state: 'succeeded', error: null });
    expect((plain.result as ConnectionTestResult).ssl).toBeNull();

    // A refused step stops the test there, with the same message opening would give.
    const refused = await jobOn(backend, 'connections.test', {
      profile: sslOnly({ name: 'Test no SSL', ssl: { mode: 'disable' } }),
      secrets: { password: 'x' },
    });
    expect(refused).toMatchObject({ state: 'failed', progress: { phase: 'login' }, error: { code: 'CONNECTION', field: 'profile.ssl.mode' } });
  });

  describe('the backup tools get the profile’s SSL settings (verify-full, client certificate, no password)', () => {
    let id: string;
    let raw: pg.Client;
    beforeAll(async () => {
      id = (await opened(certProfile({ name: 'Certificate backups' }))).id;
      await applyMigrations(backend, id);
      for (let n = 1; n <= 20; n++) await ok(backend, 'users.create', { email: `cert${n}@example.com`, name: `Cert ${n}` }, id);
      raw = await remoteClient(server, CERT_DB);
    });
    afterAll(async () => {
      await raw?.end().catch(() => undefined);
    });

    it('backs up and restores through the profile, the server requiring SSL and the certificate for that role', async () => {
      const before = await tableChecksums(raw);
      const backup = await jobOn(backend, 'backups.create', {}, id);
      expect(backup.error).toBeNull();
      const entry = backup.result as BackupEntry;
      expect(entry.manifest).toMatchObject({ database: CERT_DB, host: 'localhost', port: server.port, rowCounts: { 'public.users': 20 } });
      expect(entry.verification?.state).toBe('verified');

      await raw.query("UPDATE users SET name = 'changed'");
      await raw.query('DELETE FROM users WHERE id % 2 = 0');
      const restore = await jobOn(backend, 'backups.restore', { name: entry.name, confirm: CERT_DB }, id);
      expect(restore.error).toBeNull();
      const result = restore.result as RestoreResult;
      expect(result).toMatchObject({ database: CERT_DB, matches: true });
      expect(result.safetyBackup).toMatch(/\.dump$/);
      expect(await tableChecksums(raw)).toEqual(before);
      expect((await ok<UserListOutput>(backend, 'users.list', {}, id)).rows).toHaveLength(20);
      // Every tool's session was encrypted: the server refuses cert_user otherwise (no silent fallback).
      const { rows } = await server.query<{ count: string }>(
        "SELECT count(*) AS count FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'cert_user' AND NOT s.ssl",
      );
      expect(rows[0]?.count).toBe('0');
    });
  });
});
