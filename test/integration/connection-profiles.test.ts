import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { AppInfo, BackupEntry, ConnectionEntry, ConnectionTestResult, MigrationState, User, UserListOutput } from '../../src/shared/contract';
import type { ApiError } from '../../src/shared/errors';
import { applyMigrations, createTestDatabase, rawClient } from '../support/database';
import {
  closedPort,
  fails,
  jobOn,
  nextConnectionState,
  ok,
  remoteClient,
  saveProfile,
  startSilentServer,
  startTestApp,
  until,
  type TestApp,
} from '../support/connections';
import { remotePostgresAvailable, startRemotePostgres, type RemotePostgres } from '../support/remote-postgres';

const OWNER = 'app_owner';
const OWNER_PASSWORD = 'Owner-pw-2718-remote';
const APP_DB = 'appdb';
/** pg_hba.conf trusts this name without a password, so PostgreSQL itself says the role does not exist. */
const GHOST_ROLE = 'ghost';

describe.skipIf(!remotePostgresAvailable)('saved connections to a real remote PostgreSQL, through the app’s one door', () => {
  let server: RemotePostgres;
  let app: TestApp;
  let backend: Backend;
  let startDatabase: string;
  let start: pg.Client;
  let remote: pg.Client;
  const savedPgpassFile = process.env.PGPASSFILE;

  beforeAll(async () => {
    // No ~/.pgpass of the machine running the tests may answer for a profile.
    process.env.PGPASSFILE = '/nonexistent/simple-db-test-pgpass';
    server = await startRemotePostgres({ hbaLines: [`host all ${GHOST_ROLE} 127.0.0.1/32 trust`] });
    await server.createRole(OWNER, OWNER_PASSWORD, { createdb: true });
    await server.createDatabase(APP_DB, OWNER);
    const { name, url } = await createTestDatabase('start');
    startDatabase = name;
    app = await startTestApp({ databaseUrl: url });
    backend = app.backend;
    await applyMigrations(backend);
    start = await rawClient(startDatabase);
    remote = await remoteClient(server, APP_DB);
  });

  afterAll(async () => {
    await start?.end().catch(() => undefined);
    await remote?.end().catch(() => undefined);
    await app?.close();
    await server?.destroy();
    if (savedPgpassFile === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = savedPgpassFile;
  });

  const appProfile = (overrides: Record<string, unknown> = {}) => ({
    name: 'Remote app',
    host: server.host,
    port: server.port,
    database: APP_DB,
    user: OWNER,
    ssl: { mode: 'disable' },
    ...overrides,
  });

  async function entries(): Promise<ConnectionEntry[]> {
    return (await ok<{ entries: ConnectionEntry[] }>(backend, 'connections.list')).entries;
  }

  async function tables(client: pg.Client): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    return rows.map((row) => row.name);
  }

  describe('the list of connections and the saved profiles', () => {
    it('lists the embedded database first, then DATABASE_URL (the one open), then the profiles in the order saved', async () => {
      const before = await ok<{ entries: ConnectionEntry[]; secretStorage: { kind: string } }>(backend, 'connections.list');
      expect(before.secretStorage.kind).toBe('memory');
      expect(before.entries.slice(0, 2)).toEqual([
        expect.objectContaining({ id: 'embedded', kind: 'embedded', name: 'Embedded PostgreSQL', state: 'closed' }),
        expect.objectContaining({ id: 'database-url', kind: 'url', name: 'DATABASE_URL', database: startDatabase, state: 'open' }),
      ]);

      const first = await saveProfile(backend, appProfile({ name: 'List A' }), { password: OWNER_PASSWORD });
      const second = await saveProfile(backend, appProfile({ name: 'List B', color: 'green' }));
      expect(first.id).toMatch(/^p-/);
      expect(second.id).not.toBe(first.id);
      expect(first).toMatchObject({ kind: 'profile', name: 'List A', host: server.host, port: server.port, state: 'closed' });
      expect(first.savedSecrets).toEqual(['password']);
      expect(second.savedSecrets).toEqual([]);
      const after = await entries();
      expect(after.map((entry) => entry.id)).toEqual(['embedded', 'database-url', ...before.entries.slice(2).map((e) => e.id), first.id, second.id]);
      expect(after.at(-1)).toMatchObject({ name: 'List B', color: 'green', sslMode: 'disable', readOnly: false });

      for (const entry of [first, second]) await ok(backend, 'connections.delete', { id: entry.id });
    });

    it('edits a profile in place, keeping its id and its saved password', async () => {
      const saved = await saveProfile(backend, appProfile({ name: 'Edit me' }), { password: OWNER_PASSWORD });
      const edited = await saveProfile(backend, { ...saved.profile, name: 'Edited', color: 'red', readOnly: true });
      expect(edited).toMatchObject({ id: saved.id, name: 'Edited', color: 'red', readOnly: true, savedSecrets: ['password'] });
      const listed = (await entries()).filter((entry) => entry.id === saved.id);
      expect(listed).toEqual([expect.objectContaining({ name: 'Edited', color: 'red', readOnly: true })]);
      expect((await entries()).some((entry) => entry.name === 'Edit me')).toBe(false);
      await ok(backend, 'connections.delete', { id: saved.id });
    });

    it('refuses a second profile of the same name (in any case), pointing at the name field', async () => {
      const saved = await saveProfile(backend, appProfile({ name: 'Production' }));
      const error = await fails(backend, 'connections.save', { profile: appProfile({ name: 'PRODUCTION' }) });
      expect(error).toMatchObject({ code: 'CONFLICT', field: 'profile.name' });
      expect(error.message).toBe('A connection named “Production” already exists. Choose another name.');
      // Renaming another profile onto it is refused the same way.
      const other = await saveProfile(backend, appProfile({ name: 'Staging' }));
      expect(await fails(backend, 'connections.save', { profile: { ...other.profile, name: 'production' } })).toMatchObject({
        code: 'CONFLICT',
        field: 'profile.name',
      });
      expect((await entries()).filter((entry) => entry.kind === 'profile').map((entry) => entry.name)).toEqual(
        expect.arrayContaining(['Production', 'Staging']),
      );
      for (const entry of [saved, other]) await ok(backend, 'connections.delete', { id: entry.id });
    });

    it('deletes a profile, but never the embedded database nor DATABASE_URL', async () => {
      const embedded = await fails(backend, 'connections.delete', { id: 'embedded' });
      expect(embedded).toMatchObject({ code: 'VALIDATION', field: 'id', message: expect.stringContaining('embedded database cannot be deleted') });
      const url = await fails(backend, 'connections.delete', { id: 'database-url' });
      expect(url).toMatchObject({ code: 'VALIDATION', field: 'id', message: expect.stringContaining('unset DATABASE_URL and restart') });

      const saved = await saveProfile(backend, appProfile({ name: 'Short-lived' }), { password: OWNER_PASSWORD });
      await ok(backend, 'connections.open', { id: saved.id });
      expect(await ok(backend, 'connections.delete', { id: saved.id })).toEqual({ deleted: 'Short-lived' });
      expect((await entries()).map((entry) => entry.id)).not.toContain(saved.id);
      // Deleting closed it: a window still on it is told so.
      expect(await fails(backend, 'users.list', {}, saved.id)).toMatchObject({ code: 'CONNECTION', field: 'connectionId' });
      expect(await fails(backend, 'connections.open', { id: saved.id })).toMatchObject({ code: 'NOT_FOUND' });
      expect((await entries()).slice(0, 2).map((entry) => entry.id)).toEqual(['embedded', 'database-url']);
    });

    it('keeps connections.json private (0600) and without any password', async () => {
      const saved = await saveProfile(backend, appProfile({ name: 'On disk' }), { password: OWNER_PASSWORD });
      const file = path.join(app.dataDir, 'connections.json');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const text = await fs.readFile(file, 'utf8');
      expect(text).toContain('On disk');
      expect(text).toContain(APP_DB);
      expect(text).not.toContain(OWNER_PASSWORD);
      expect(text).not.toMatch(/password/i);
      await ok(backend, 'connections.delete', { id: saved.id });
    });
  });

  describe('a window on a profile works on that database, the others stay on theirs', () => {
    let id: string;
    beforeAll(async () => {
      id = (await saveProfile(backend, appProfile({ name: 'Remote app', color: 'blue' }), { password: OWNER_PASSWORD })).id;
      expect(await ok(backend, 'connections.open', { id })).toMatchObject({ id, state: 'open' });
    });

    it('applies migrations, creates and lists users on the profile’s database only', async () => {
      const state = await applyMigrations(backend, id);
      expect(state.pending).toEqual([]);
      expect(state.applied).toHaveLength(3);
      expect(await tables(remote)).toEqual(['SequelizeMeta', 'products', 'users']);

      const created = await ok<User>(backend, 'users.create', { email: 'remote-only@example.com', name: 'Remote' }, id);
      await ok(backend, 'users.create', { email: 'start-only@example.com', name: 'Start' });
      expect((await remote.query('SELECT id, email FROM users')).rows).toEqual([{ id: created.id, email: 'remote-only@example.com' }]);
      expect((await start.query("SELECT email FROM users WHERE email LIKE '%-only@example.com'")).rows).toEqual([
        { email: 'start-only@example.com' },
      ]);

      const onProfile = await ok<UserListOutput>(backend, 'users.list', {}, id);
      expect(onProfile.rows.map((row) => row.email)).toEqual(['remote-only@example.com']);
      const onStart = await ok<UserListOutput>(backend, 'users.list', {});
      expect(onStart.rows.map((row) => row.email)).toContain('start-only@example.com');
      expect(onStart.rows.map((row) => row.email)).not.toContain('remote-only@example.com');
    });

    it('rolls back the newest migration of that database only, once its own name is typed', async () => {
      await applyMigrations(backend, id);
      const wrong = await fails(backend, 'migrations.down', { confirm: startDatabase }, id);
      expect(wrong).toMatchObject({
        code: 'VALIDATION',
        field: 'confirm',
        message: `Type the database name, ${APP_DB}, to roll back its newest migration.`,
      });
      const state = await ok<MigrationState>(backend, 'migrations.down', { confirm: APP_DB }, id);
      // The newest migration adds the list indexes: gone from the profile's database only.
      expect(state.pending).toEqual([expect.stringContaining('add-list-indexes')]);
      expect((await remote.query("SELECT to_regclass('ix_users_name_id') AS ix")).rows).toEqual([{ ix: null }]);
      expect((await start.query("SELECT to_regclass('ix_users_name_id')::text AS ix")).rows).toEqual([{ ix: 'ix_users_name_id' }]);
      expect(await tables(start)).toEqual(['SequelizeMeta', 'products', 'users']);
      expect((await ok<MigrationState>(backend, 'migrations.status', {})).pending).toEqual([]);
      await applyMigrations(backend, id);
      expect(await tables(remote)).toEqual(['SequelizeMeta', 'products', 'users']);
    });

    it('app.info names the profile: kind, label, colour, read-only, server', async () => {
      const info = await ok<AppInfo>(backend, 'app.info', {}, id);
      expect(info.database).toMatchObject({
        id,
        kind: 'profile',
        label: 'Remote app',
        color: 'blue',
        readOnly: false,
        host: server.host,
        port: server.port,
        name: APP_DB,
        user: OWNER,
        serverVersion: expect.stringMatching(/^15\./),
      });
      const startInfo = await ok<AppInfo>(backend, 'app.info', {});
      expect(startInfo.database).toMatchObject({ id: 'database-url', kind: 'url', label: 'DATABASE_URL', name: startDatabase, readOnly: false });
    });
  });

  describe('opening a profile that cannot work says why, in words for people, pointing at what to change', () => {
    /** Saves a profile, opens it, and returns the error (the profile is deleted again). */
    async function openError(overrides: Record<string, unknown>, secrets: Record<string, string> = { password: OWNER_PASSWORD }): Promise<ApiError> {
      const saved = await saveProfile(backend, appProfile({ name: `Broken ${String(Math.random()).slice(2, 10)}`, ...overrides }), secrets);
      try {
        const error = await fails(backend, 'connections.open', { id: saved.id });
        expect(error.code).toBe('CONNECTION');
        // Nothing stays open after a failed attempt.
        expect((await entries()).find((entry) => entry.id === saved.id)?.state).toBe('closed');
        return error;
      } finally {
        await ok(backend, 'connections.delete', { id: saved.id });
      }
    }

    it('a host that does not exist', async () => {
      const error = await openError({ name: 'Typo host', host: 'no-such-host.invalid' });
      expect(error).toMatchObject({ field: 'profile.host' });
      expect(error.message).toBe(
        `The host in no-such-host.invalid:${server.port}/${APP_DB} cannot be found. Check the host and port of the connection “Typo host”.`,
      );
    });

    it('a port nothing listens on', async () => {
      const port = await closedPort();
      const error = await openError({ name: 'Closed port', host: '127.0.0.1', port });
      expect(error).toMatchObject({ field: 'profile.host' });
      expect(error.message).toBe(
        `Nothing is accepting connections at 127.0.0.1:${port}/${APP_DB}. Check that PostgreSQL is running and listening there. Check the host and port of the connection “Closed port”.`,
      );
    });

    it('a server that never answers: one connect timeout, not one per attempt', async () => {
      const silent = await startSilentServer();
      try {
        // sslmode prefer (the default): the SSL probe and the pool would each wait a full timeout for nothing.
        const error = await openError({ name: 'Black hole', host: '127.0.0.1', port: silent.port, ssl: { mode: 'prefer' } });
        expect(silent.attempts()).toBe(1);
        expect(error).toMatchObject({ field: 'profile.host' });
        expect(error.message).toBe(
          `Connecting to 127.0.0.1:${silent.port}/${APP_DB} timed out: nothing answered. Check the host, port, network and firewall.`,
        );
      } finally {
        await silent.close();
      }
    });

    it('a wrong password', async () => {
      const error = await openError({ name: 'Wrong pw' }, { password: 'not-the-password' });
      expect(error).toMatchObject({ field: 'secrets.password' });
      expect(error.offer).toBeUndefined();
      expect(error.message).toBe(
        `PostgreSQL rejected the password for user "${OWNER}" at ${server.host}:${server.port}/${APP_DB} (it says the same when there is no such user). Check the password of the connection “Wrong pw”.`,
      );
    });

    it('no password saved: asks for it, and one typed at opening is used for the session', async () => {
      const saved = await saveProfile(backend, appProfile({ name: 'Ask me' }));
      try {
        const error = await fails(backend, 'connections.open', { id: saved.id });
        expect(error).toMatchObject({ code: 'CONNECTION', field: 'secrets.password', offer: 'enterPassword' });
        expect(error.message).toBe(
          `${server.host}:${server.port}/${APP_DB} asks for the password of user "${OWNER}", and none is saved (nor in ~/.pgpass). Enter it.`,
        );
        const opened = await ok<ConnectionEntry>(backend, 'connections.open', { id: saved.id, secrets: { password: OWNER_PASSWORD } });
        expect(opened).toMatchObject({ state: 'open', savedSecrets: [] });
        expect((await ok<UserListOutput>(backend, 'users.list', {}, saved.id)).rows.length).toBeGreaterThan(0);
      } finally {
        await ok(backend, 'connections.delete', { id: saved.id });
      }
    });

    it('a database that does not exist: offers to create it, and creating it opens the connection', async () => {
      const database = `fresh_${Date.now()}`;
      const saved = await saveProfile(backend, appProfile({ name: 'New database', database }), { password: OWNER_PASSWORD });
      try {
        const error = await fails(backend, 'connections.open', { id: saved.id });
        expect(error).toMatchObject({ code: 'CONNECTION', field: 'profile.database', offer: 'createDatabase' });
        expect(error.message).toBe(
          `The database in ${server.host}:${server.port}/${database} does not exist. Connect offers to create it; or fix the database name of the connection.`,
        );
        const created = await ok<ConnectionEntry>(backend, 'connections.createDatabase', { id: saved.id });
        expect(created).toMatchObject({ id: saved.id, state: 'open', database });
        const { rows } = await server.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
          database,
        ]);
        expect(rows).toEqual([{ owner: OWNER }]);
        expect((await ok<MigrationState>(backend, 'migrations.status', {}, saved.id)).applied).toEqual([]);
        // Creating it again is refused by the server, in words.
        expect(await fails(backend, 'connections.createDatabase', { id: saved.id })).toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining('already exists'),
        });
      } finally {
        await ok(backend, 'connections.delete', { id: saved.id });
      }
    });

    it('a role the server does not know', async () => {
      const error = await openError({ name: 'Ghost', user: GHOST_ROLE }, {});
      expect(error).toMatchObject({ field: 'profile.user' });
      expect(error.message).toBe(
        `There is no role "${GHOST_ROLE}" on ${server.host}:${server.port}/${APP_DB}. Check the user name of the connection “Ghost”. Or ask the server's admin to create it.`,
      );
    });

    it('"Test connection" on a server without SSL: each step reported, not encrypted, the schema as it is; the saved password is used', async () => {
      const saved = await saveProfile(backend, appProfile({ name: 'Test me', ssl: { mode: 'prefer' } }), { password: OWNER_PASSWORD });
      try {
        const job = await jobOn(backend, 'connections.test', { profile: saved.profile });
        expect(job).toMatchObject({
          state: 'succeeded',
          error: null,
          summary: expect.stringMatching(/^PostgreSQL 15\.\d+\b.*, [\d.]+ ms, not encrypted$/),
        });
        const result = job.result as ConnectionTestResult;
        expect(result.steps.map((step) => `${step.id}:${step.state}`)).toEqual(['connect:ok', 'login:ok', 'version:ok', 'ssl:ok', 'schema:ok']);
        expect(result.steps.find((step) => step.id === 'ssl')?.detail).toBe('not encrypted');
        expect(result.steps.find((step) => step.id === 'login')?.label).toBe(`Logging in as ${OWNER} to ${APP_DB}`);
        expect(result.ssl).toBeNull();
        expect(result.serverVersion).toMatch(/^15\./);
        expect(result.latencyMs).toBeGreaterThanOrEqual(0);
        const { rows } = await remote.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name');
        expect(result.migrations).toMatchObject({ applied: rows.map((row) => row.name), pending: [] });
        // Nothing stays open after a test.
        expect((await entries()).find((entry) => entry.id === saved.id)?.state).toBe('closed');
      } finally {
        await ok(backend, 'connections.delete', { id: saved.id });
      }
    });

    it('"Test connection" reports its steps and stops at the one that failed, with the same message', async () => {
      const { jobId } = await ok<{ jobId: string }>(backend, 'connections.test', {
        profile: appProfile({ name: 'Testing' }),
        secrets: { password: 'not-the-password' },
      });
      const job = await backend.services.jobs.finished(jobId);
      expect(job).toMatchObject({ state: 'failed', kind: 'connections.test', progress: { phase: 'login' } });
      expect(job.error).toMatchObject({ code: 'CONNECTION', field: 'secrets.password', message: expect.stringContaining('rejected the password') });
      expect(job.error?.message).not.toContain('not-the-password');
    });
  });

  describe('a read-only profile', () => {
    let id: string;
    let writable: string;
    let existing: User;
    beforeAll(async () => {
      writable = (await saveProfile(backend, appProfile({ name: 'Writable' }), { password: OWNER_PASSWORD })).id;
      await ok(backend, 'connections.open', { id: writable });
      await applyMigrations(backend, writable);
      existing = await ok<User>(backend, 'users.create', { email: 'kept@example.com', name: 'Kept' }, writable);
      id = (await saveProfile(backend, appProfile({ name: 'Read only', readOnly: true, color: 'red' }), { password: OWNER_PASSWORD })).id;
      await ok(backend, 'connections.open', { id });
    });

    it('is refused every write by the server itself (PERMISSION), changing nothing', async () => {
      const before = (await remote.query('SELECT id, email, name FROM users ORDER BY id')).rows;
      const readOnlyRefusal = {
        code: 'PERMISSION',
        message: expect.stringMatching(/is a read-only connection: the server refused the change, and nothing was changed\.$/),
      };
      expect(await fails(backend, 'users.create', { email: 'nope@example.com', name: 'Nope' }, id)).toMatchObject(readOnlyRefusal);
      expect(await fails(backend, 'users.update', { id: existing.id, name: 'Changed' }, id)).toMatchObject(readOnlyRefusal);
      expect(await fails(backend, 'users.delete', { id: existing.id }, id)).toMatchObject(readOnlyRefusal);
      expect(await fails(backend, 'migrations.down', { confirm: APP_DB }, id)).toMatchObject(readOnlyRefusal);
      // With a migration pending (rolled back through the writable profile), applying it is refused too.
      await ok(backend, 'migrations.down', { confirm: APP_DB }, writable);
      expect(await fails(backend, 'migrations.up', {}, id)).toMatchObject(readOnlyRefusal);
      expect((await remote.query("SELECT to_regclass('ix_users_name_id') AS ix")).rows).toEqual([{ ix: null }]);
      await applyMigrations(backend, writable);
      expect((await remote.query('SELECT id, email, name FROM users ORDER BY id')).rows).toEqual(before);
      // Reading works.
      expect((await ok<UserListOutput>(backend, 'users.list', {}, id)).rows.map((row) => row.email)).toContain('kept@example.com');
      expect((await ok<AppInfo>(backend, 'app.info', {}, id)).database).toMatchObject({ readOnly: true, label: 'Read only', color: 'red' });
    });

    it('backs up, but never restores nor creates a database through it', async () => {
      const backup = await jobOn(backend, 'backups.create', {}, id);
      expect(backup.error).toBeNull();
      const entry = backup.result as BackupEntry;
      expect(entry.manifest).toMatchObject({ database: APP_DB, host: server.host, port: server.port });
      expect(entry.verification?.state).toBe('verified');

      const restore = await fails(backend, 'backups.restore', { name: entry.name, confirm: APP_DB }, id);
      expect(restore).toMatchObject({
        code: 'PERMISSION',
        message: expect.stringContaining('“Read only” is a read-only connection: backups work, restores do not'),
      });
      const intoNew = await fails(
        backend,
        'backups.restore',
        { name: entry.name, target: { mode: 'new', database: 'copy_db' }, confirm: 'copy_db' },
        id,
      );
      expect(intoNew.code).toBe('PERMISSION');
      const create = await fails(backend, 'connections.createDatabase', { id });
      expect(create).toMatchObject({ code: 'PERMISSION', message: expect.stringContaining('“Read only” is read-only') });
      expect((await server.query("SELECT 1 FROM pg_database WHERE datname = 'copy_db'")).rows).toEqual([]);
    });
  });

  describe('a lost server', () => {
    let id: string;
    beforeAll(async () => {
      id = (await saveProfile(backend, appProfile({ name: 'Flaky' }), { password: OWNER_PASSWORD })).id;
      await ok(backend, 'connections.open', { id });
      await applyMigrations(backend, id);
      await ok(backend, 'users.create', { email: 'flaky@example.com', name: 'Flaky' }, id);
    });

    it('is reported lost at the first failed call, fails fast meanwhile, and is open again by itself once it is back', async () => {
      await ok(backend, 'users.list', {}, id);
      const lost = nextConnectionState(backend, id, 'lost');
      await server.stop();
      const error = await fails(backend, 'users.list', {}, id);
      expect(error.code).toBe('CONNECTION');
      expect((await lost).message).toBe(error.message);
      expect(error.message).toMatch(
        new RegExp(`^Nothing is accepting connections at ${server.host}:${server.port}/${APP_DB} any more: the server was stopped or restarted`),
      );
      expect((await entries()).find((entry) => entry.id === id)).toMatchObject({ state: 'lost', message: error.message });

      // Further calls do not wait for a timeout each: they say at once what was said.
      const fast = await fails(backend, 'users.create', { email: 'while-down@example.com', name: 'Down' }, id);
      // The message already says Simple DB reconnects by itself.
      expect(fast).toMatchObject({ code: 'CONNECTION', message: error.message });
      // The other connections are not affected.
      await ok(backend, 'users.list', {});

      const back = nextConnectionState(backend, id, 'open');
      await server.start();
      await back;
      expect((await entries()).find((entry) => entry.id === id)).toMatchObject({ state: 'open' });
      expect((await ok<UserListOutput>(backend, 'users.list', {}, id)).rows.length).toBeGreaterThan(0);
    });

    it('ends a running job with a clear reason when the server goes away under it', async () => {
      // The count waits behind a lock until the server stops: it is surely running then.
      const holder = await remoteClient(server, APP_DB);
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const { jobId } = await ok<{ jobId: string }>(backend, 'users.count', {}, id);
      await until('the count waits for the lock', async () => {
        const { rows } = await server.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'simple-db' AND wait_event_type = 'Lock'");
        return rows.length > 0;
      });
      const lost = nextConnectionState(backend, id, 'lost');
      await server.stop();
      const job = await backend.services.jobs.finished(jobId);
      await holder.end().catch(() => undefined);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('CONNECTION');
      expect(job.error?.message).toMatch(
        new RegExp(`^The connection to ${server.host}:${server.port}/${APP_DB} was lost before the request finished\\.`),
      );
      expect((await lost).message).toBe(job.error?.message);

      const back = nextConnectionState(backend, id, 'open');
      await server.start();
      await back;
      const again = await jobOn(backend, 'users.count', {}, id);
      expect(again).toMatchObject({ state: 'succeeded', error: null });
    });
  });
});
