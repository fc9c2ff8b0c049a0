import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { AppInfo, BackupEntry, ConnectionEntry, RestoreResult, UserListOutput } from '../../src/shared/contract';
import { seedUsersAndProducts, tableChecksums } from '../support/backups';
import { fails, jobOn, nextConnectionState, ok, saveProfile, startTestApp, type TestApp } from '../support/connections';
import { applyMigrations, createTestDatabase, rawClient, serverConnection } from '../support/database';
import { sshdAvailable, startSshAgent, startSshd, type TestSshd } from '../support/sshd';

describe.skipIf(!sshdAvailable)('profiles through an SSH tunnel (a real sshd), through the app’s one door', () => {
  let sshd: TestSshd;
  let app: TestApp;
  let backend: Backend;
  let database: string;
  let raw: pg.Client;
  const savedPgpassFile = process.env.PGPASSFILE;
  const savedAgent = process.env.SSH_AUTH_SOCK;

  beforeAll(async () => {
    process.env.PGPASSFILE = '/nonexistent/simple-db-test-pgpass';
    sshd = await startSshd();
    const { name, url } = await createTestDatabase('ssh');
    database = name;
    raw = await rawClient(database);
    raw.on('error', () => undefined);
    // The window starts on the same database directly; the profiles reach it through the bastion.
    app = await startTestApp({ databaseUrl: url });
    backend = app.backend;
    await applyMigrations(backend);
    await seedUsersAndProducts(raw, 300);
  });

  afterAll(async () => {
    await raw?.end().catch(() => undefined);
    await app?.close();
    await sshd?.stop();
    if (savedPgpassFile === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = savedPgpassFile;
    if (savedAgent === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = savedAgent;
  });

  const db = () => serverConnection();
  /** The database as the bastion sees it, reached through sshd with `ssh`. */
  const tunnelled = (name: string, ssh: Record<string, unknown> = {}) => ({
    name,
    host: db().host,
    port: db().port,
    database,
    user: db().user,
    ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'password', ...ssh },
  });
  const dbPassword = () => ({ password: db().password });

  async function openedEntry(id: string): Promise<ConnectionEntry> {
    return ok<ConnectionEntry>(backend, 'connections.open', { id });
  }

  it('asks to trust the SSH server’s key at first, shows the key to compare, and opens once it is trusted', async () => {
    const saved = await saveProfile(backend, tunnelled('Bastion'), { ...dbPassword(), sshPassword: sshd.password });
    expect(saved.via).toBe(`${sshd.user}@${sshd.host}:${sshd.port}`);

    const error = await fails(backend, 'connections.open', { id: saved.id });
    expect(error).toMatchObject({
      code: 'CONNECTION',
      offer: 'trustHostKey',
      hostKey: { host: sshd.host, port: sshd.port, algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint, changed: false },
    });
    expect(error.message).toContain(`The SSH server ${sshd.host}:${sshd.port} is not known yet`);
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect((await ok<{ entries: ConnectionEntry[] }>(backend, 'connections.list')).entries.find((e) => e.id === saved.id)?.state).toBe('closed');

    const { host, port, algorithm, fingerprint, key } = error.hostKey!;
    // A key that is not the one shown is refused: the fingerprint must match.
    const tampered = await fails(backend, 'connections.trustHostKey', { host, port, algorithm, fingerprint: 'SHA256:not-it', key });
    expect(tampered).toMatchObject({ code: 'VALIDATION', field: 'fingerprint' });
    expect(await ok(backend, 'connections.trustHostKey', { host, port, algorithm, fingerprint, key })).toEqual({ trusted: true });
    const knownHostsFile = path.join(app.dataDir, 'known_hosts.json');
    expect((await fs.stat(knownHostsFile)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(knownHostsFile, 'utf8')).toContain(key);

    expect(await openedEntry(saved.id)).toMatchObject({ state: 'open', via: `${sshd.user}@${sshd.host}:${sshd.port}` });
    const listed = await ok<UserListOutput>(backend, 'users.list', { pageSize: 25 }, saved.id);
    expect(listed.rows).toHaveLength(25);
    expect(listed.rows[0]?.email).toBe('user1@example.com');
    expect((await ok<AppInfo>(backend, 'app.info', {}, saved.id)).database).toMatchObject({ kind: 'profile', label: 'Bastion', name: database });
    await ok(backend, 'connections.close', { id: saved.id });
  });

  it('a wrong SSH password is named at its field, without repeating it', async () => {
    const saved = await saveProfile(backend, tunnelled('Wrong SSH password'), { ...dbPassword(), sshPassword: 'not-the-ssh-password' });
    const error = await fails(backend, 'connections.open', { id: saved.id });
    expect(error).toMatchObject({ code: 'CONNECTION', field: 'secrets.sshPassword' });
    expect(error.message).toBe(
      `The SSH server ${sshd.host}:${sshd.port} did not accept ${sshd.user}'s password. Check the SSH user name and password.`,
    );
    await ok(backend, 'connections.delete', { id: saved.id });
  });

  it('logs in with a key protected by a passphrase, and asks for the passphrase when none is saved', async () => {
    const saved = await saveProfile(backend, tunnelled('Key', { auth: 'key', privateKeyFile: sshd.userKeyFile }), dbPassword());
    const error = await fails(backend, 'connections.open', { id: saved.id });
    expect(error).toMatchObject({
      code: 'VALIDATION',
      field: 'secrets.sshPassphrase',
      message: `The private key ${sshd.userKeyFile} is protected by a passphrase. Enter its passphrase.`,
    });
    await saveProfile(backend, saved.profile!, { sshPassphrase: sshd.passphrase });
    expect(await openedEntry(saved.id)).toMatchObject({ state: 'open', savedSecrets: expect.arrayContaining(['password', 'sshPassphrase']) });
    expect((await ok<UserListOutput>(backend, 'users.list', {}, saved.id)).total?.count).toBeGreaterThan(0);
    await ok(backend, 'connections.delete', { id: saved.id });
  });

  it('logs in with a key held by ssh-agent', async () => {
    const agent = await startSshAgent(sshd.plainKeyFile);
    process.env.SSH_AUTH_SOCK = agent.socket;
    try {
      const saved = await saveProfile(backend, tunnelled('Agent', { auth: 'agent' }), dbPassword());
      expect(await openedEntry(saved.id)).toMatchObject({ state: 'open' });
      expect((await ok<UserListOutput>(backend, 'users.list', {}, saved.id)).rows.length).toBeGreaterThan(0);
      await ok(backend, 'connections.delete', { id: saved.id });
    } finally {
      await agent.stop();
      if (savedAgent === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = savedAgent;
    }
  });

  it('a dropped SSH session is reported lost, and the connection is open again by itself', async () => {
    const saved = await saveProfile(backend, tunnelled('Dropping'), { ...dbPassword(), sshPassword: sshd.password });
    await openedEntry(saved.id);
    await ok(backend, 'users.list', {}, saved.id);

    const lost = nextConnectionState(backend, saved.id, 'lost');
    const back = nextConnectionState(backend, saved.id, 'open');
    await sshd.killSessions();
    expect((await lost).message).toMatch(new RegExp(`^The SSH tunnel through ${sshd.user}@${sshd.host}:${sshd.port} dropped \\(.+\\)\\.$`));
    await back;
    expect((await ok<{ entries: ConnectionEntry[] }>(backend, 'connections.list')).entries.find((e) => e.id === saved.id)?.state).toBe('open');
    expect((await ok<UserListOutput>(backend, 'users.list', {}, saved.id)).rows.length).toBeGreaterThan(0);
    await ok(backend, 'connections.delete', { id: saved.id });
  });

  it('backs up and restores through the tunnel: the tools connect to its local end', async () => {
    const saved = await saveProfile(backend, tunnelled('Tunnel backups'), { ...dbPassword(), sshPassword: sshd.password });
    await openedEntry(saved.id);
    const plan = await ok<{ commandLine: string }>(backend, 'backups.plan', {}, saved.id);
    const tunnel = backend.services.connections.get(saved.id).tunnel!;
    expect(tunnel.localPort).not.toBe(db().port);
    expect(plan.commandLine).toContain(`PGHOST=${db().host} PGHOSTADDR=127.0.0.1 PGPORT=${tunnel.localPort} `);
    expect(plan.commandLine).toContain('PGPASSWORD=••••••');

    const before = await tableChecksums(raw);
    const backup = await jobOn(backend, 'backups.create', {}, saved.id);
    expect(backup.error).toBeNull();
    const entry = backup.result as BackupEntry;
    expect(entry.manifest).toMatchObject({ database, rowCounts: { 'public.users': 300, 'public.products': 600 } });
    expect(entry.verification?.state).toBe('verified');

    await raw.query("UPDATE users SET name = 'changed' WHERE id % 2 = 0");
    await raw.query('DELETE FROM products WHERE id % 3 = 0');
    const restore = await jobOn(backend, 'backups.restore', { name: entry.name, confirm: database }, saved.id);
    expect(restore.error).toBeNull();
    expect(restore.result as RestoreResult).toMatchObject({ database, matches: true });
    expect(await tableChecksums(raw)).toEqual(before);
    await ok(backend, 'connections.delete', { id: saved.id });
  });

  it('refuses an SSH server whose key changed, naming both fingerprints, offering nothing to click', async () => {
    const saved = await saveProfile(backend, tunnelled('Changed key'), { ...dbPassword(), sshPassword: sshd.password });
    await openedEntry(saved.id);
    await ok(backend, 'connections.close', { id: saved.id });
    const before = sshd.hostKeyFingerprint;
    await sshd.restartWithNewHostKey();

    const error = await fails(backend, 'connections.open', { id: saved.id });
    expect(error.code).toBe('CONNECTION');
    expect(error.offer).toBeUndefined();
    expect(error.hostKey).toMatchObject({ changed: true, previousFingerprint: before, fingerprint: sshd.hostKeyFingerprint });
    expect(error.message).toContain('man-in-the-middle');
    expect(error.message).toContain(before);
    expect(error.message).toContain(sshd.hostKeyFingerprint);

    // Once the admin checked it and trusts the new key explicitly, it opens.
    const { host, port, algorithm, fingerprint, key } = error.hostKey!;
    await ok(backend, 'connections.trustHostKey', { host, port, algorithm, fingerprint, key });
    expect(await openedEntry(saved.id)).toMatchObject({ state: 'open' });
    await ok(backend, 'connections.delete', { id: saved.id });
    // The trusted key belongs to the server, not the profile: another profile through it is not asked again.
    const other = await saveProfile(backend, tunnelled('Same bastion'), { ...dbPassword(), sshPassword: sshd.password });
    expect(await openedEntry(other.id)).toMatchObject({ state: 'open' });
    await ok(backend, 'connections.delete', { id: other.id });
  });
});
