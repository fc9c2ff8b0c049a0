import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/errors/app-error';
import { EmbeddedServer } from '../../src/main/embedded/server';
import { EMBEDDED_APP_ROLE, ensureAppDatabase } from '../../src/main/embedded/database';
import { processesMentioning } from '../support/processes';
import { serverEntry, startSimpleDb } from '../support/simple-db-process';

const dirs: string[] = [];
async function freshDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-embedded-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function query<T>(server: EmbeddedServer, sql: string): Promise<T[]> {
  const client = new pg.Client(server.connection);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL', () => {
  let dataDir: string;
  let server: EmbeddedServer;
  beforeAll(async () => {
    dataDir = await freshDataDir();
    server = await EmbeddedServer.start({ dataDir, log: () => {} });
  });
  afterAll(() => server?.stop());

  it('is PostgreSQL 15, on loopback only, with a random password kept in a 0600 file', async () => {
    expect(server.version).toMatch(/^15\./);
    expect(server.connection.host).toBe('127.0.0.1');
    expect(await query(server, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);
    const stat = await fs.stat(path.join(dataDir, 'credentials.json'));
    expect(stat.mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'credentials.json'), 'utf8')) as { password: string };
    expect(saved.password).toBe(server.connection.password);
    expect(saved.password.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a second instance on the same data directory, saying so', async () => {
    const second = EmbeddedServer.start({ dataDir, log: () => {} });
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toMatchObject({ code: 'ALREADY_RUNNING', message: expect.stringContaining('already running') });
    // …and the first one is unharmed.
    expect(await query(server, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('keeps data and password across a restart', async () => {
    await query(server, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
    const password = server.connection.password;
    await server.stop();
    expect(await processesMentioning(dataDir)).toEqual([]);
    server = await EmbeddedServer.start({ dataDir, log: () => {} });
    expect(server.connection.password).toBe(password);
    expect(await query(server, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
  });
});

describe("the app's database on the embedded server", () => {
  it('is owned and used by a role without superuser rights, which cannot run programs or read server files', async () => {
    const dataDir = await freshDataDir();
    const server = await EmbeddedServer.start({ dataDir, log: () => {} });
    try {
      // A database from an earlier version: made and filled by the superuser.
      await query(server, 'CREATE DATABASE legacy');
      const legacy = new pg.Client({ ...server.connection, database: 'legacy' });
      await legacy.connect();
      await legacy.query('CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ($$a@example.com$$)');
      await legacy.end();

      const app = await ensureAppDatabase(server.connection, dataDir, 'legacy');
      expect(app.user).toBe(EMBEDDED_APP_ROLE);
      expect(app.password).not.toBe(server.connection.password);
      expect((await fs.stat(path.join(dataDir, 'app-credentials.json'))).mode & 0o777).toBe(0o600);

      const client = new pg.Client(app);
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT r.rolsuper, pg_get_userbyid(d.datdba) AS db_owner, pg_get_userbyid(c.relowner) AS table_owner
             FROM pg_roles r, pg_database d, pg_class c WHERE r.rolname = current_user AND d.datname = current_database() AND c.relname = 'users'`,
        );
        expect(rows).toEqual([{ rolsuper: false, db_owner: EMBEDDED_APP_ROLE, table_owner: EMBEDDED_APP_ROLE }]);
        // The handed-over table and its sequence work for the role.
        await client.query('INSERT INTO users (email) VALUES ($1)', ['b@example.com']);
        const marker = path.join(dataDir, 'pwned');
        await expect(client.query(`COPY users (email) FROM PROGRAM 'touch ${marker}'`)).rejects.toThrow(/pg_execute_server_program|superuser/);
        await expect(client.query(`COPY users (email) FROM '/etc/passwd'`)).rejects.toThrow(/pg_read_server_files|superuser/);
        await expect(fs.stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        await client.end();
      }
      // Starting again keeps the same password and ownership.
      expect((await ensureAppDatabase(server.connection, dataDir, 'legacy')).password).toBe(app.password);
    } finally {
      await server.stop();
    }
  });
});

describe('a damaged cluster folder', () => {
  it('is refused, with what to do, and left exactly as it was', async () => {
    const dataDir = await freshDataDir();
    const first = await EmbeddedServer.start({ dataDir, log: () => {} });
    await first.stop();
    const clusterDir = path.join(dataDir, 'postgresql-15');
    await fs.rename(path.join(clusterDir, 'PG_VERSION'), path.join(dataDir, 'PG_VERSION.aside'));
    const before = (await fs.readdir(clusterDir)).sort();
    await expect(EmbeddedServer.start({ dataDir, log: () => {} })).rejects.toThrow(/is not a complete PostgreSQL cluster .* will not touch it/);
    expect((await fs.readdir(clusterDir)).sort()).toEqual(before);
    expect(await fs.readdir(dataDir)).toContain('credentials.json');
  });
});

describe('a leftover postmaster.pid', () => {
  it('whose pid now belongs to another program is stale: that program is left alone and the server starts', async () => {
    const dataDir = await freshDataDir();
    const first = await EmbeddedServer.start({ dataDir, log: () => {} });
    await first.stop();
    // After a reboot the old pid may belong to anything; here, a harmless sleep.
    const bystander = spawn('sleep', ['60']);
    try {
      const clusterDir = path.join(dataDir, 'postgresql-15');
      await fs.writeFile(path.join(clusterDir, 'postmaster.pid'), `${bystander.pid}\n${clusterDir}\n`);
      const server = await EmbeddedServer.start({ dataDir, log: () => {} });
      expect(await query(server, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await server.stop();
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
    } finally {
      bystander.kill();
    }
  });

  it("Simple DB's own lock naming a recycled pid is stale too", async () => {
    const dataDir = await freshDataDir();
    const bystander = spawn('sleep', ['60']);
    try {
      // Same pid, but not the process start time the lock recorded.
      await fs.writeFile(path.join(dataDir, 'simple-db.pid'), `${bystander.pid}\n1\n`);
      const server = await EmbeddedServer.start({ dataDir, log: () => {} });
      await server.stop();
      expect(bystander.exitCode).toBeNull();
    } finally {
      bystander.kill();
    }
  });
});

describe('browser mode lifecycle', () => {
  it('Ctrl+C stops the app and its embedded server cleanly', async () => {
    const dataDir = await freshDataDir();
    const app = await startSimpleDb({ dataDir });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect((await processesMentioning(dataDir)).length).toBeGreaterThan(0);
    await app.stop(); // SIGINT; rejects unless the exit code is 0
    expect(await processesMentioning(dataDir)).toEqual([]);
    const left = await fs.readdir(dataDir);
    expect(left).not.toContain('simple-db.pid');
    expect(await fs.readdir(path.join(dataDir, 'postgresql-15'))).not.toContain('postmaster.pid');
  });

  it('Ctrl+C during start-up still stops the server it was starting', async () => {
    const dataDir = await freshDataDir();
    const prepared = await EmbeddedServer.start({ dataDir, log: () => {} });
    await prepared.stop();
    const clusterDir = path.join(dataDir, 'postgresql-15');
    // The moment PostgreSQL writes its lock file, it is starting: interrupt the app right then.
    const serverStarting = new Promise<void>((resolve) => {
      const watcher = watch(clusterDir, (_event, file) => {
        if (file === 'postmaster.pid') {
          watcher.close();
          resolve();
        }
      });
    });
    const app = spawn(process.execPath, [serverEntry], { env: { ...process.env, SIMPLE_DB_DATA_DIR: dataDir, DATABASE_URL: '' } });
    const appExited = new Promise((resolve) => app.once('exit', resolve));
    await serverStarting;
    app.kill('SIGINT');
    await appExited;
    expect(await processesMentioning(dataDir)).toEqual([]);
    expect(await fs.readdir(dataDir)).not.toContain('simple-db.pid');
    expect(await fs.readdir(clusterDir)).not.toContain('postmaster.pid');
  });

  it('a second app on the same data says it is already running', async () => {
    const dataDir = await freshDataDir();
    const first = await startSimpleDb({ dataDir });
    try {
      await expect(startSimpleDb({ dataDir })).rejects.toThrow(/Simple DB is already running with the data directory/);
    } finally {
      await first.stop();
    }
  });

  it('recovers after a crash: the orphaned server is stopped and the next start works', async () => {
    const dataDir = await freshDataDir();
    const crashed = await startSimpleDb({ dataDir });
    crashed.child.kill('SIGKILL');
    await crashed.exit;
    // The server outlives the app that was killed…
    expect((await processesMentioning(dataDir)).length).toBeGreaterThan(0);
    // …and the next start cleans it up instead of refusing or corrupting it.
    const next = await startSimpleDb({ dataDir });
    await next.stop();
    expect(await processesMentioning(dataDir)).toEqual([]);
  });
});
