import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupEntry, ConnectionEntry, ConnectionTestResult, SecretStorage } from '../../src/shared/contract';
import { fails, filesUnder, jobOn, ok, saveProfile, startTestApp, testCipher, watchCommandLines, type TestApp } from '../support/connections';
import { applyMigrations, createTestDatabase } from '../support/database';
import { remotePostgresAvailable, startRemotePostgres, type RemotePostgres } from '../support/remote-postgres';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd';

const ROLE = 'keeper';
const DATABASE = 'keeperdb';
/** Random per run, so finding one anywhere can only mean it leaked from this test. */
const DB_PASSWORD = `Db-secret-${crypto.randomBytes(9).toString('base64url')}`;
const WRONG_PASSWORD = `Wrong-secret-${crypto.randomBytes(9).toString('base64url')}`;

describe.skipIf(!remotePostgresAvailable)('secrets of saved connections', () => {
  let server: RemotePostgres;
  let startUrl: string;
  const savedPgpassFile = process.env.PGPASSFILE;

  beforeAll(async () => {
    process.env.PGPASSFILE = '/nonexistent/simple-db-test-pgpass';
    server = await startRemotePostgres();
    await server.createRole(ROLE, DB_PASSWORD);
    await server.createDatabase(DATABASE, ROLE);
    startUrl = (await createTestDatabase('secrets_start')).url;
  });

  afterAll(async () => {
    await server?.destroy();
    if (savedPgpassFile === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = savedPgpassFile;
  });

  const keeperProfile = (name: string, overrides: Record<string, unknown> = {}) => ({
    name,
    host: server.host,
    port: server.port,
    database: DATABASE,
    user: ROLE,
    ...overrides,
  });

  async function list(app: TestApp): Promise<{ entries: ConnectionEntry[]; secretStorage: SecretStorage }> {
    return ok(app.backend, 'connections.list');
  }

  async function freshDataDir(): Promise<string> {
    return fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-secrets-'));
  }

  describe('browser mode: no OS secret store', () => {
    let dataDir: string;
    let app: TestApp;
    beforeAll(async () => {
      dataDir = await freshDataDir();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, removeDataDir: false });
    });
    afterAll(async () => {
      await app?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('keeps a password only once the admin agrees to memory-only storage; refused, nothing is saved', async () => {
      const { secretStorage } = await list(app);
      expect(secretStorage).toEqual({ kind: 'memory', detail: 'browser mode cannot reach the desktop’s secret store' });

      const refused = await fails(app.backend, 'connections.save', { profile: keeperProfile('Not kept'), secrets: { password: DB_PASSWORD } });
      expect(refused).toMatchObject({ code: 'VALIDATION', field: 'keepSecretsInMemory' });
      expect(refused.message).toContain('can keep passwords only in memory until it quits');
      expect(refused.message).not.toContain(DB_PASSWORD);
      expect((await list(app)).entries.map((entry) => entry.name)).not.toContain('Not kept');

      // Without a password nothing needs agreeing to.
      const bare = await ok<ConnectionEntry>(app.backend, 'connections.save', { profile: keeperProfile('No password') });
      expect(bare.savedSecrets).toEqual([]);

      const kept = await saveProfile(app.backend, keeperProfile('Kept in memory'), { password: DB_PASSWORD }, true);
      expect(kept.savedSecrets).toEqual(['password']);
      expect(await ok<ConnectionEntry>(app.backend, 'connections.open', { id: kept.id })).toMatchObject({ state: 'open' });
      await expect(fs.stat(path.join(dataDir, 'secrets.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('forgets it when the app closes: started again on the same data directory, the password is asked for', async () => {
      const kept = (await list(app)).entries.find((entry) => entry.name === 'Kept in memory')!;
      await app.close();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, removeDataDir: false });
      const again = (await list(app)).entries.find((entry) => entry.id === kept.id);
      expect(again).toMatchObject({ name: 'Kept in memory', savedSecrets: [], state: 'closed' });
      const error = await fails(app.backend, 'connections.open', { id: kept.id });
      expect(error).toMatchObject({ code: 'CONNECTION', offer: 'enterPassword', field: 'secrets.password' });
    });
  });

  describe('desktop: the OS secret store (an AES-GCM cipher stands in for Electron’s safeStorage)', () => {
    let dataDir: string;
    let app: TestApp;
    const cipher = testCipher();
    beforeAll(async () => {
      dataDir = await freshDataDir();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, secretCipher: cipher, removeDataDir: false });
    });
    afterAll(async () => {
      await app?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('stores the password encrypted in secrets.json (0600), never in plain text', async () => {
      expect((await list(app)).secretStorage).toEqual({ kind: 'os', detail: 'test keyring (AES-256-GCM)' });
      const saved = await saveProfile(app.backend, keeperProfile('Encrypted'), { password: DB_PASSWORD }, false);
      expect(saved.savedSecrets).toEqual(['password']);
      const file = path.join(dataDir, 'secrets.json');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const text = await fs.readFile(file, 'utf8');
      expect(text).not.toContain(DB_PASSWORD);
      const stored = (JSON.parse(text) as { encrypted: Record<string, { password?: string }> }).encrypted[saved.id]?.password;
      expect(stored).toBeDefined();
      expect(cipher.decrypt(Buffer.from(stored!, 'base64'))).toBe(DB_PASSWORD);
      expect(await ok<ConnectionEntry>(app.backend, 'connections.open', { id: saved.id })).toMatchObject({ state: 'open' });
    });

    it('the saved password survives a restart; with another key (the OS store changed) it counts as not saved', async () => {
      const saved = (await list(app)).entries.find((entry) => entry.name === 'Encrypted')!;
      await app.close();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, secretCipher: testCipher(cipher.key), removeDataDir: false });
      expect((await list(app)).entries.find((entry) => entry.id === saved.id)?.savedSecrets).toEqual(['password']);
      expect(await ok<ConnectionEntry>(app.backend, 'connections.open', { id: saved.id })).toMatchObject({ state: 'open' });

      await app.close();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, secretCipher: testCipher(), removeDataDir: false });
      expect((await list(app)).entries.find((entry) => entry.id === saved.id)?.savedSecrets).toEqual([]);
      expect(await fails(app.backend, 'connections.open', { id: saved.id })).toMatchObject({ offer: 'enterPassword' });
      expect(app.logLines.join('\n')).toContain(`a saved password of connection ${saved.id} cannot be decrypted`);

      // Back on the right key: forgetting the password (null) and deleting the profile remove it from the file.
      await app.close();
      app = await startTestApp({ dataDir, databaseUrl: startUrl, secretCipher: testCipher(cipher.key), removeDataDir: false });
      await saveProfile(app.backend, saved.profile!, { password: null }, false);
      expect((await list(app)).entries.find((entry) => entry.id === saved.id)?.savedSecrets).toEqual([]);
      await saveProfile(app.backend, saved.profile!, { password: DB_PASSWORD }, false);
      await ok(app.backend, 'connections.delete', { id: saved.id });
      const remaining = JSON.parse(await fs.readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { encrypted: Record<string, unknown> };
      expect(remaining.encrypted[saved.id]).toBeUndefined();
    });
  });

  describe('no secret anywhere it should not be', () => {
    /** Every place a secret could end up: files of the data directory, the log, argv of every process, what the window gets. */
    async function expectNowhere(app: TestApp, secrets: string[], commandLines: string[], answers: unknown[]): Promise<void> {
      const files = await filesUnder(app.dataDir);
      expect(files.some((file) => file.endsWith('.manifest.json'))).toBe(true);
      expect(files.some((file) => file.endsWith('connections.json'))).toBe(true);
      for (const file of files) {
        const bytes = await fs.readFile(file);
        for (const secret of secrets) expect(bytes.includes(secret), `a secret in ${file}`).toBe(false);
      }
      expect(app.logLines.length).toBeGreaterThan(0);
      const log = app.logLines.join('\n');
      const seen = JSON.stringify(answers);
      for (const secret of secrets) {
        expect(log.includes(secret), 'a secret in the log').toBe(false);
        expect(seen.includes(secret), 'a secret in what the window was told').toBe(false);
        for (const line of commandLines) expect(line.includes(secret), `a secret in the command line ${line.slice(0, 80)}`).toBe(false);
      }
    }

    it('after saving, connecting, backing up and failing: no password in the data directory, the log, any argv, the list or an error', async () => {
      const app = await startTestApp({ databaseUrl: startUrl, secretCipher: testCipher() });
      const answers: unknown[] = [];
      const watcher = watchCommandLines();
      try {
        const saved = await saveProfile(app.backend, keeperProfile('Leak check', { color: 'orange' }), { password: DB_PASSWORD }, false);
        answers.push(saved, await ok(app.backend, 'connections.open', { id: saved.id }));
        await applyMigrations(app.backend, saved.id);
        await ok(app.backend, 'users.create', { email: 'secret@example.com', name: 'Secret' }, saved.id);
        const backup = await jobOn(app.backend, 'backups.create', {}, saved.id);
        expect(backup.error).toBeNull();
        expect((backup.result as BackupEntry).verification?.state).toBe('verified');
        const restore = await jobOn(app.backend, 'backups.restore', { name: (backup.result as BackupEntry).name, confirm: DATABASE }, saved.id);
        expect(restore.error).toBeNull();
        answers.push(backup, restore, await ok(app.backend, 'backups.plan', {}, saved.id));

        // Failing: a wrong saved password, a wrong typed one, a test with each.
        const wrong = await saveProfile(app.backend, keeperProfile('Leak check wrong'), { password: WRONG_PASSWORD }, false);
        answers.push(await fails(app.backend, 'connections.open', { id: wrong.id }));
        answers.push(await fails(app.backend, 'connections.open', { id: wrong.id, secrets: { password: `${WRONG_PASSWORD}-typed` } }));
        const failedTest = await jobOn(app.backend, 'connections.test', { profile: wrong.profile });
        expect(failedTest.state).toBe('failed');
        const passedTest = await jobOn(app.backend, 'connections.test', { profile: saved.profile });
        expect((passedTest.result as ConnectionTestResult).steps.every((step) => step.state === 'ok')).toBe(true);
        answers.push(failedTest, passedTest, await ok(app.backend, 'jobs.list'));

        const listed = await list(app);
        expect(listed.entries.find((entry) => entry.id === saved.id)?.savedSecrets).toEqual(['password']);
        answers.push(listed, await ok(app.backend, 'app.info', {}, saved.id));

        const commandLines = await watcher.stop();
        expect(commandLines.some((line) => line.includes('pg_dump'))).toBe(true);
        expect(commandLines.some((line) => /pg_restore|psql/.test(line))).toBe(true);
        await expectNowhere(app, [DB_PASSWORD, WRONG_PASSWORD, `${WRONG_PASSWORD}-typed`], commandLines, answers);
        // The password is saved all the same: encrypted, under the profile's id.
        expect(await fs.readFile(path.join(app.dataDir, 'secrets.json'), 'utf8')).toContain(saved.id);
      } finally {
        await watcher.stop();
        await app.close();
      }
    });

    describe.skipIf(!sshdAvailable)('with SSH secrets too', () => {
      let sshd: TestSshd;
      beforeAll(async () => {
        sshd = await startSshd();
      });
      afterAll(async () => {
        await sshd?.stop();
      });

      for (const storage of ['memory-only', 'encrypted'] as const) {
        it(`no SSH password or key passphrase anywhere either (${storage} storage)`, async () => {
          const secretCipher = storage === 'encrypted' ? testCipher() : undefined;
          const app = await startTestApp({ databaseUrl: startUrl, ...(secretCipher ? { secretCipher } : {}) });
          const answers: unknown[] = [];
          const watcher = watchCommandLines();
          try {
            const ssh = { host: sshd.host, port: sshd.port, user: sshd.user };
            const byPassword = await saveProfile(
              app.backend,
              keeperProfile('SSH password', { ssh: { ...ssh, auth: 'password' } }),
              { password: DB_PASSWORD, sshPassword: sshd.password },
              !secretCipher,
            );
            const first = await fails(app.backend, 'connections.open', { id: byPassword.id });
            expect(first.offer).toBe('trustHostKey');
            const { host, port, algorithm, fingerprint, key } = first.hostKey!;
            await ok(app.backend, 'connections.trustHostKey', { host, port, algorithm, fingerprint, key });
            answers.push(first, byPassword, await ok(app.backend, 'connections.open', { id: byPassword.id }));

            const byKey = await saveProfile(
              app.backend,
              keeperProfile('SSH key', { ssh: { ...ssh, auth: 'key', privateKeyFile: sshd.userKeyFile } }),
              { password: DB_PASSWORD, sshPassphrase: sshd.passphrase },
              !secretCipher,
            );
            answers.push(byKey, await ok(app.backend, 'connections.open', { id: byKey.id }));
            await applyMigrations(app.backend, byKey.id);
            const backup = await jobOn(app.backend, 'backups.create', {}, byKey.id);
            expect(backup.error).toBeNull();
            answers.push(backup);

            const wrongSsh = await saveProfile(
              app.backend,
              keeperProfile('SSH wrong', { ssh: { ...ssh, auth: 'password' } }),
              { password: DB_PASSWORD, sshPassword: WRONG_PASSWORD },
              !secretCipher,
            );
            answers.push(await fails(app.backend, 'connections.open', { id: wrongSsh.id }));
            const wrongPassphrase = await jobOn(app.backend, 'connections.test', {
              profile: { ...byKey.profile, id: undefined, name: 'SSH wrong passphrase' },
              secrets: { sshPassphrase: `${WRONG_PASSWORD}-phrase` },
            });
            expect(wrongPassphrase.error).toMatchObject({ code: 'VALIDATION', field: 'secrets.sshPassphrase' });
            answers.push(wrongPassphrase, await list(app), await ok(app.backend, 'jobs.list'));

            const commandLines = await watcher.stop();
            expect(commandLines.some((line) => line.includes('pg_dump'))).toBe(true);
            await expectNowhere(
              app,
              [DB_PASSWORD, WRONG_PASSWORD, `${WRONG_PASSWORD}-phrase`, sshd.password, sshd.passphrase],
              commandLines,
              answers,
            );
            // Memory-only: not even an encrypted copy is written.
            if (!secretCipher) await expect(fs.stat(path.join(app.dataDir, 'secrets.json'))).rejects.toMatchObject({ code: 'ENOENT' });
          } finally {
            await watcher.stop();
            await app.close();
          }
        });
      }
    });
  });
});
