import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { startApp } from '../../src/main/bootstrap';
import type { BackupEntry, Job, Preflight } from '../../src/shared/contract';
import { backupFixture, runJob, seedUsersAndProducts, tableChecksums, takeBackup, tempDataDir, type BackupFixture } from '../support/backups';
import { applyMigrations, call, rawClient, serverConnection } from '../support/database';

let backend: Backend;
let client: pg.Client;
let database: string;
let dataDir: string;
let folder: string;
let logLines: string[];
let fixture: BackupFixture;
beforeAll(async () => {
  fixture = await backupFixture(60_000);
  ({ backend, client, database, dataDir, folder, logLines } = fixture);
});
afterAll(() => fixture?.close());

const backup = (options: Record<string, unknown> = {}) => takeBackup(backend, options);

/** Starts a job and cancels it as soon as its progress shows `phase`. */
async function cancelWhen(procedure: string, input: unknown, phase: RegExp): Promise<Job> {
  const { jobId } = await call<{ jobId: string }>(backend, procedure, input);
  await new Promise<void>((resolve) => {
    const stop = backend.services.bus.subscribe((event) => {
      if (
        (event.type === 'job.progress' || event.type === 'job.finished') &&
        event.job.id === jobId &&
        (phase.test(event.job.progress?.phase ?? '') || event.type === 'job.finished')
      ) {
        stop();
        resolve();
      }
    });
  });
  return call<Job>(backend, 'jobs.cancel', { id: jobId });
}

describe('what a failed or cancelled backup or restore leaves behind', () => {
  it('cancel mid-backup stops pg_dump and leaves no file that looks like a backup', async () => {
    const before = await fs.readdir(folder).catch(() => [] as string[]);
    const job = await cancelWhen('backups.create', { options: { format: 'plain' } }, /Dumping table/);
    expect(job.state).toBe('cancelled');
    expect(await fs.readdir(folder)).toEqual(before);
  });

  it('cancel mid-restore rolls back: the target is unchanged', async () => {
    const entry = await backup({ format: 'plain' });
    await client.query("UPDATE users SET name = 'after the backup' WHERE id <= 10");
    const before = await tableChecksums(client);
    const job = await cancelWhen('backups.restore', { name: entry.name, confirm: database, safetyBackup: false }, /Restoring public\.users/);
    expect(job.state).toBe('cancelled');
    expect(await tableChecksums(client)).toEqual(before);
  });

  it('a truncated archive is reported by verify and pre-flight, and a restore of it changes nothing', async () => {
    const entry = await backup({ format: 'custom' });
    const truncated = path.join(folder, 'truncated.dump');
    const bytes = await fs.readFile(entry.path);
    await fs.writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    // Its manifest too, so the checksum can speak.
    await fs.copyFile(`${entry.path}.manifest.json`, `${truncated}.manifest.json`);
    const verify = await runJob(backend, 'backups.verify', { name: 'truncated.dump' });
    expect(verify.result).toMatchObject({ state: 'failed', message: expect.stringMatching(/truncated/) });
    const before = await tableChecksums(client);
    const job = await runJob(backend, 'backups.restore', { name: 'truncated.dump', confirm: database, safetyBackup: false });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/truncated/) });
    expect(await tableChecksums(client)).toEqual(before);
  });

  it('an archive cut off in its data, with no manifest to warn, is never committed: pg_restore’s failure is reported and the target is unchanged', async () => {
    const entry = await backup({ format: 'custom', compression: 0 });
    const bytes = await fs.readFile(entry.path);
    // The table of contents and the definitions read fine; the rows stop half-way.
    await fs.writeFile(path.join(folder, 'cut-off.dump'), bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const preflight = await call<Preflight>(backend, 'backups.preflight', { name: 'cut-off.dump' });
    expect(preflight.file.hasManifest).toBe(false);
    await client.query("UPDATE users SET name = 'kept' WHERE id = 2");
    const before = await tableChecksums(client);
    const job = await runJob(backend, 'backups.restore', { name: 'cut-off.dump', confirm: database, safetyBackup: false });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/truncated or damaged.*exactly as it was/) });
    expect(await tableChecksums(client)).toEqual(before);
    const verify = await runJob(backend, 'backups.verify', { name: 'cut-off.dump' });
    expect(verify.result).toMatchObject({ state: 'failed' });
  });

  it('a large plain file that fails at its start stops at once, naming the line, without waiting to send the rest', async () => {
    const entry = await backup({ format: 'plain' });
    const lines = (await fs.readFile(entry.path, 'utf8')).split('\n');
    const at = lines.findIndex((line) => line.startsWith('CREATE TABLE public.users'));
    lines.splice(at, 0, 'SELECT no_such_function();');
    await fs.writeFile(path.join(folder, 'fails-early.sql'), lines.join('\n'));
    expect((await fs.stat(path.join(folder, 'fails-early.sql'))).size).toBeGreaterThan(2 * 1024 * 1024);
    const before = await tableChecksums(client);
    const job = await runJob(backend, 'backups.restore', { name: 'fails-early.sql', confirm: database, safetyBackup: false });
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(`line ${at + 1} of fails-early.sql`) });
    expect(await tableChecksums(client)).toEqual(before);
  });

  it('a plain file edited to break near its end fails at that statement, naming the line, and changes nothing', async () => {
    const entry = await backup({ format: 'plain' });
    const lines = (await fs.readFile(entry.path, 'utf8')).split('\n');
    const at = lines.findIndex((line) => line.startsWith('CREATE INDEX ix_users_email'));
    lines.splice(at, 0, 'CREATE INDEX broken ON public.users (no_such_column);');
    await fs.writeFile(path.join(folder, 'broken.sql'), lines.join('\n'));
    await client.query("UPDATE users SET name = 'kept' WHERE id = 1");
    const before = await tableChecksums(client);
    const job = await runJob(backend, 'backups.restore', { name: 'broken.sql', confirm: database, safetyBackup: false });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(`line ${at + 1} of broken.sql`) });
    expect(job.error!.message).toContain('no_such_column');
    expect(job.error!.message).toMatch(/rolled back/);
    expect(await tableChecksums(client)).toEqual(before);
  });

  // A full disk, for real: a 256 KiB tmpfs as the backups folder (mounting needs root, as in CI).
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)('a full disk fails the backup with STORAGE, saying so, and leaves nothing in the folder', async () => {
    const small = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small], { encoding: 'utf8' });
    expect(mounted.stderr).toBe('');
    const previous = await backend.services.backups.folder();
    try {
      await call(backend, 'backups.folder.set', { folder: small });
      const job = await runJob(backend, 'backups.create', { options: { format: 'plain' } });
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'STORAGE', message: expect.stringContaining('The disk is full') });
      expect(await fs.readdir(small)).toEqual([]);
    } finally {
      await call(backend, 'backups.folder.set', { folder: previous });
      spawnSync('umount', [small]);
      await fs.rm(small, { recursive: true, force: true });
    }
  });

  it('a backups folder that cannot be made is refused, saying why', async () => {
    // Root writes anywhere, so the unwritable place is a path through a file.
    const blocked = path.join(dataDir, 'not-a-folder');
    await fs.writeFile(blocked, 'x');
    const result = await backend.dispatch('backups.folder.set', { folder: path.join(blocked, 'backups') });
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('not-a-folder') } });
  });
});

describe('a plain file never runs programs or touches files here', () => {
  const header = ['--', '-- PostgreSQL database dump', '--', '', 'SET statement_timeout = 0;', ''];
  const trailer = ['', '--', '-- PostgreSQL database dump complete', '--', ''];
  for (const [label, line] of [
    ['\\! touch', (marker: string) => `\\! touch ${marker}`],
    ['\\o |cmd', (marker: string) => `\\o |touch ${marker}`],
    ['\\copy … program', (marker: string) => `\\copy (select 1) to program 'touch ${marker}'`],
  ] as const) {
    it(`refuses ${label} with its line, and the file is never created`, async () => {
      const marker = path.join(os.tmpdir(), `simple-db-pwned-${process.pid}-${Math.random().toString(36).slice(2)}`);
      const name = `evil-${label.replace(/[^a-z]/g, '')}.sql`;
      await fs.writeFile(path.join(folder, name), [...header, 'CREATE TABLE public.harmless (x int);', line(marker), ...trailer].join('\n'));
      const preflight = await call<Preflight>(backend, 'backups.preflight', { name });
      expect(preflight.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'refused-command', blocking: true, message: expect.stringContaining('Line 8') })]),
      );
      const before = await tableChecksums(client);
      const job = await runJob(backend, 'backups.restore', { name, confirm: database, safetyBackup: false });
      expect(job.state).toBe('failed');
      expect(job.error?.message).toContain('Line 8');
      await expect(fs.stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await tableChecksums(client)).toEqual(before);
    });
  }

  it('explains a `SET transaction_timeout` from a newer pg_dump before restoring into PostgreSQL 15, and restores', async () => {
    const entry = await backup({ format: 'plain' });
    const text = (await fs.readFile(entry.path, 'utf8')).replace(
      'SET statement_timeout = 0;',
      'SET statement_timeout = 0;\nSET transaction_timeout = 0;',
    );
    await fs.writeFile(path.join(folder, 'from-pg17.sql'), text);
    const preflight = await call<Preflight>(backend, 'backups.preflight', { name: 'from-pg17.sql' });
    expect(preflight.problems.filter((problem) => problem.kind !== 'sessions')).toEqual([
      expect.objectContaining({
        kind: 'unknown-settings',
        blocking: false,
        message: expect.stringMatching(/transaction_timeout.*PostgreSQL 15 does not know/),
      }),
    ]);
    const before = await tableChecksums(client);
    const job = await runJob(backend, 'backups.restore', { name: 'from-pg17.sql', confirm: database, safetyBackup: false });
    expect(job.error).toBeNull();
    expect(await tableChecksums(client)).toEqual(before);
  });
});

describe('secrets', () => {
  it('the password is never in a tool’s argv, the manifest, the log or an error', async () => {
    const { password } = serverConnection();
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const pid of await fs.readdir('/proc').catch(() => [] as string[])) {
          if (!/^\d+$/.test(pid)) continue;
          const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (/pg_dump|pg_restore|psql/.test(cmdline)) seen.push(cmdline.replace(/\0/g, ' '));
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const entry = await backup({ format: 'custom' });
    await runJob(backend, 'backups.restore', { name: entry.name, confirm: database, safetyBackup: false });
    watching = false;
    await watcher;
    expect(seen.length).toBeGreaterThan(0);
    for (const line of seen) expect(line).not.toContain(password);
    expect(await fs.readFile(`${entry.path}.manifest.json`, 'utf8')).not.toContain(password);
    const plan = await call<{ commandLine: string }>(backend, 'backups.plan', {});
    expect(plan.commandLine).toContain('PGPASSWORD=••••••');
    expect(plan.commandLine).not.toContain(password);
    expect(logLines.join('\n')).not.toContain(password);
    const failed = await runJob(backend, 'backups.restore', { name: 'evil-touch.sql', confirm: database });
    expect(JSON.stringify(failed.error)).not.toContain(password);
  });
});

describe('database names that look like connection strings or options', () => {
  it('backs up and restores a database named with spaces, quotes, = and a leading -', async () => {
    const odd = `-f/etc/passwd host=elsewhere dbname='x' "q"`;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(odd)}`);
    const { user, password, host, port } = serverConnection();
    const url = `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(odd)}`;
    const oddDir = await tempDataDir();
    const app = await startApp({ dataDir: oddDir, databaseUrl: url, version: 'test', log: () => {} });
    try {
      await applyMigrations(app);
      const oddClient = await rawClient(odd);
      try {
        await seedUsersAndProducts(oddClient, 50);
        const before = await tableChecksums(oddClient);
        const job = await runJob(app, 'backups.create', {});
        expect(job.error).toBeNull();
        const entry = job.result as BackupEntry;
        // The file name is made safe; the file lands in the backups folder, nowhere else.
        expect(path.dirname(entry.path)).toBe(path.join(oddDir, 'backups'));
        expect(entry.name).not.toMatch(/[/ '"=]/);
        expect(entry.manifest?.database).toBe(odd);
        await oddClient.query('DELETE FROM products');
        const restored = await runJob(app, 'backups.restore', { name: entry.name, confirm: odd });
        expect(restored.error).toBeNull();
        expect(await tableChecksums(oddClient)).toEqual(before);
      } finally {
        await oddClient.end();
      }
    } finally {
      await app.close();
      await fs.rm(oddDir, { recursive: true, force: true });
    }
  });
});

describe('files that are not one database’s dump', () => {
  it('a gzip-compressed dump and a pg_dumpall file are named for what they are, and not restored', async () => {
    const { gzipSync } = await import('node:zlib');
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'nightly.sql'), gzipSync('-- PostgreSQL database dump\nSELECT 1;\n'));
    // A compressed dump under its usual name is listed too, so the admin learns why it cannot be restored as it is.
    await fs.writeFile(path.join(folder, 'weekly.sql.gz'), gzipSync('-- PostgreSQL database dump\nSELECT 1;\n'));
    const listed = await call<{ backups: BackupEntry[] }>(backend, 'backups.list');
    expect(listed.backups.map((entry) => entry.name)).toContain('weekly.sql.gz');
    await fs.writeFile(path.join(folder, 'cluster.sql'), '--\n-- PostgreSQL database cluster dump\n--\n\nCREATE ROLE admin;\n');
    const gzip = await call<Preflight>(backend, 'backups.preflight', { name: 'nightly.sql' });
    expect(gzip.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unreadable', blocking: true, message: expect.stringContaining('gzip-compressed') })]),
    );
    const cluster = await call<Preflight>(backend, 'backups.preflight', { name: 'cluster.sql' });
    expect(cluster.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unreadable', message: expect.stringContaining('pg_dumpall') })]),
    );
    const job = await runJob(backend, 'backups.restore', { name: 'cluster.sql', confirm: database, safetyBackup: false });
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('pg_dumpall') });
  });
});
