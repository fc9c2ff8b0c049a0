import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/contract';
import type { AppServices } from '../../src/main/api/context';
import { DownloadTickets } from '../../src/main/files/download-tickets';
import { TransferFiles } from '../../src/main/transfer/transfer-files';
import { createDispatch } from '../../src/main/api/dispatch';
import { handlers } from '../../src/main/api/handlers';
import { ConnectionManager } from '../../src/main/connections/manager';
import { createMigrator } from '../../src/main/db/migrations';
import { parseDatabaseUrl } from '../../src/main/db/target';
import { EMBEDDED_DATABASE, ensureDatabase } from '../../src/main/embedded/database';
import { EmbeddedServer } from '../../src/main/embedded/server';
import { EventBus } from '../../src/main/events/bus';
import { JobRegistry } from '../../src/main/jobs/registry';
import { BackupScheduler } from '../../src/main/backups/scheduler';
import { BackupService } from '../../src/main/backups/service';
import { SettingsStore } from '../../src/main/settings/store';
import { createTestDatabase, serverConnection } from '../support/database';
import { startTcpProxy } from '../support/tcp-proxy';

const bus = new EventBus();
const events: AppEvent[] = [];
bus.subscribe((event) => events.push(event));
// A heartbeat every 300 ms: a server going away shows without any request.
const connections = new ConnectionManager(bus, () => {}, 300);
const jobs = new JobRegistry(bus, () => {});
// No data directory of its own: these tests never reach the backups.
const settings = new SettingsStore(path.join(os.tmpdir(), `simple-db-unused-${process.pid}`, 'settings.json'));
const backups = new BackupService(os.tmpdir(), settings, () => {});
const scheduler = new BackupScheduler(settings, {
  backup: () => ({ jobId: '', finished: Promise.reject(new Error('unused')) }),
  scheduledBackups: async () => [],
  delete: async () => {},
  log: () => {},
});
const services = {
  version: 'test',
  connections,
  bus,
  jobs,
  log: () => {},
  dataDir: os.tmpdir(),
  backups,
  scheduler,
  downloads: new DownloadTickets(),
  transfer: new TransferFiles(os.tmpdir()),
  // These tests open connections directly; the connection list is tested elsewhere.
  connectionProfiles: null as unknown as AppServices['connectionProfiles'],
};
const dispatch = createDispatch(handlers, services);
let dataDir: string | undefined;
afterAll(async () => {
  await connections.closeAll();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function ok<T>(procedure: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(procedure, input);
  if (!result.ok) throw new Error(`${procedure}: ${result.error.message}`);
  return result.data as T;
}

describe('the connection manager', () => {
  it('holds two connections at once (an embedded server of its own and a second database), one pool each, answering independently', async () => {
    // 'a' is an embedded server owned by its connection, as the app's default one is.
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-connections-'));
    const embedded = await EmbeddedServer.start({ dataDir, log: () => {} });
    await ensureDatabase(embedded.connection);
    const first = { name: EMBEDDED_DATABASE };
    const second = await createTestDatabase('second');
    const a = connections.open('a', { kind: 'embedded', ...embedded.connection, database: EMBEDDED_DATABASE }, { embedded });
    const b = connections.open('b', parseDatabaseUrl(second.url));
    expect(a.target.port).not.toBe(b.target.port);
    await createMigrator(a.db.sequelize).up();
    await createMigrator(b.db.sequelize).up();
    expect(a.db.sequelize).not.toBe(b.db.sequelize);

    connections.setActive('a');
    await ok('users.create', { email: 'only-in-a@example.com', name: 'A' });
    expect((await ok<{ database: { id: string; name: string } }>('app.info')).database).toMatchObject({ id: 'a', name: first.name });

    connections.setActive('b');
    expect((await ok<{ rows: unknown[] }>('users.list')).rows).toEqual([]);
    await ok('users.create', { email: 'only-in-b@example.com', name: 'B' });
    expect((await ok<{ database: { id: string; name: string } }>('app.info')).database).toMatchObject({ id: 'b', name: second.name });

    // Closing one (and the server it owns) leaves the other answering.
    await connections.close('a');
    expect(embedded.running).toBe(false);
    const list = await ok<{ rows: Array<{ email: string }> }>('users.list');
    expect(list.rows.map((row) => row.email)).toEqual(['only-in-b@example.com']);
    expect(events.filter((e) => e.type === 'connection.state').map((e) => e.type === 'connection.state' && `${e.connectionId}:${e.state}`)).toEqual([
      'a:open',
      'b:open',
      'a:closed',
    ]);
  });

  it('reports a connection whose server stops answering as lost, with the reason, and as open again once it answers', async () => {
    const { name } = await createTestDatabase('flaky');
    const server = serverConnection();
    const proxy = await startTcpProxy(server);
    const url = `postgresql://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${proxy.port}/${name}`;
    const c = connections.open('c', parseDatabaseUrl(url));
    connections.setActive('c');
    await createMigrator(c.db.sequelize).up();
    await ok('users.list');
    const states = () => events.flatMap((e) => (e.type === 'connection.state' && e.connectionId === 'c' ? [e] : []));

    await proxy.cut();
    const failed = await dispatch('users.list', {});
    expect(failed).toMatchObject({ ok: false, error: { code: 'CONNECTION' } });
    // One ping tells a cut connection from a lost server; then the window hears of it.
    await expect.poll(() => connections.state('c').state).toBe('lost');
    expect(states().map((e) => e.state)).toEqual(['open', 'lost']);
    expect(states()[1]!.message).toBe(failed.ok ? undefined : failed.error.message);
    expect(connections.state('c')).toMatchObject({ state: 'lost' });
    // A call that does not touch the database says nothing about it.
    await ok('jobs.list');
    expect(connections.state('c').state).toBe('lost');

    // Back without anyone clicking: the manager's probe notices.
    await proxy.restore();
    await expect.poll(() => connections.state('c').state, { timeout: 15_000 }).toBe('open');
    expect(states().map((e) => e.state)).toEqual(['open', 'lost', 'open']);
    await ok('users.list');
    await connections.close('c');
    await proxy.cut();
  });

  it('notices a server that went away while nobody used the connection, and its return', async () => {
    const { name } = await createTestDatabase('idle');
    const server = serverConnection();
    const proxy = await startTcpProxy(server);
    const url = `postgresql://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${proxy.port}/${name}`;
    await connections.open('idle', parseDatabaseUrl(url)).ping();
    await proxy.cut();
    // No request: the heartbeat finds it, and says it went away rather than blaming the address.
    await expect.poll(() => connections.state('idle').state, { timeout: 15_000 }).toBe('lost');
    expect(connections.state('idle').message).toMatch(/any more: the server was stopped or restarted.*reconnects by itself/);
    // A certain cause learned afterwards (the process exit, the SSH drop) replaces the guess.
    connections.reportHealth('idle', false, 'The SSH session to the bastion dropped.', { certain: true });
    expect(connections.state('idle').message).toBe('The SSH session to the bastion dropped.');
    await proxy.restore();
    await expect.poll(() => connections.state('idle').state, { timeout: 15_000 }).toBe('open');
    await connections.close('idle');
    await proxy.cut();
  });

  it('says at once that the embedded server stopped, without waiting for a request to fail', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-stopped-'));
    try {
      const embedded = await EmbeddedServer.start({ dataDir: dir, log: () => {} });
      await ensureDatabase(embedded.connection);
      connections.open('d', { kind: 'embedded', ...embedded.connection, database: EMBEDDED_DATABASE }, { embedded });
      const postmasterPid = Number((await fs.readFile(path.join(dir, 'postgresql-15', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(postmasterPid, 'SIGINT'); // stopped by hand, as pg_ctl stop -m fast would
      // A heartbeat may see the socket close just before the exit is known; the exit's reason wins.
      const stopped = /^The embedded PostgreSQL stopped unexpectedly \(.+\)\. Restart Simple DB/;
      await expect.poll(() => connections.state('d').message ?? '', { timeout: 15_000 }).toMatch(stopped);
      const lost = events.filter((e) => e.type === 'connection.state' && e.connectionId === 'd' && e.state === 'lost');
      expect(lost.at(-1)).toMatchObject({ message: expect.stringMatching(stopped) as unknown });
      await connections.close('d');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second connection under an id in use, and names an unknown one', () => {
    expect(() => connections.open('b', parseDatabaseUrl('postgresql://u@localhost/x'))).toThrow(/already open/);
    expect(() => connections.get('zzz')).toThrow(/There is no open connection zzz/);
  });
});
