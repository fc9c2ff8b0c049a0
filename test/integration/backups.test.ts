import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { appEventSource } from '../../src/main/events/source';
import { startBrowserModeServer } from '../../src/main/http/server';
import type { BackupEntry, Preflight, RestoreResult } from '../../src/shared/contract';
import { backupFixture, runJob, tableChecksums, takeBackup, type BackupFixture } from '../support/backups';
import { call, rawClient, serverConnection } from '../support/database';

let backend: Backend;
let client: pg.Client;
let database: string;
let dataDir: string;
let folder: string;
let fixture: BackupFixture;
beforeAll(async () => {
  fixture = await backupFixture(2_000);
  ({ backend, client, database, dataDir, folder } = fixture);
});
afterAll(() => fixture?.close());

const backup = (options: Record<string, unknown> = {}) => takeBackup(backend, options);

async function restore(name: string, extra: Record<string, unknown> = {}) {
  return runJob(backend, 'backups.restore', { name, confirm: database, ...extra });
}

/** Changes that a restore must undo: rows changed, added and deleted, a table dropped, a new one made. */
async function damage(): Promise<void> {
  await client.query("UPDATE users SET name = 'changed' WHERE id % 3 = 0");
  await client.query("INSERT INTO users (email, name) VALUES ('new@example.com', 'New')");
  await client.query('DROP TABLE products');
  await client.query('CREATE TABLE scratch (x int)');
}

describe('backup and restore round trip (users and products)', () => {
  for (const format of ['custom', 'directory', 'plain'] as const) {
    it(`restores identical rows from a ${format} backup, after a safety backup, with row counts compared`, async () => {
      const before = await tableChecksums(client);
      const entry = await backup({ format, ...(format === 'directory' ? { jobs: 2 } : {}) });
      expect(entry.format).toBe(format);
      expect(entry.name).toMatch(new RegExp(`^${database}-\\d{4}-\\d{2}-\\d{2}_\\d{6}\\.(dump|dir|sql)$`));
      expect(entry.manifest).toMatchObject({
        database,
        format,
        rowCounts: { 'public.users': 2000, 'public.products': 4000 },
        tool: { name: 'pg_dump' },
      });
      expect(entry.manifest!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.verification?.state).toBe('verified');
      // Nothing half-written is left beside it.
      expect((await fs.readdir(folder)).filter((name) => name.endsWith('.partial'))).toEqual([]);

      await damage();
      const preflight = await call<Preflight>(backend, 'backups.preflight', { name: entry.name });
      expect(preflight.problems.filter((problem) => problem.blocking)).toEqual([]);
      expect(preflight.file.tables).toEqual(expect.arrayContaining([{ name: 'public.users', rows: 2000 }]));
      expect(preflight.target.replaced.map((object) => object.name)).toEqual(expect.arrayContaining(['public.users', 'public.scratch']));
      expect(preflight.confirmText).toBe(database);

      const job = await restore(entry.name);
      expect(job.error).toBeNull();
      const result = job.result as RestoreResult;
      expect(result.matches).toBe(true);
      expect(result.safetyBackup).toMatch(/\.dump$/);
      expect(await tableChecksums(client)).toEqual(before);
      const { rows } = await client.query<{ scratch: string | null }>("SELECT to_regclass('public.scratch') AS scratch");
      expect(rows[0]?.scratch).toBeNull();
      // The safety backup holds the damaged state, with its manifest.
      const list = await call<{ backups: BackupEntry[] }>(backend, 'backups.list');
      expect(list.backups.find((candidate) => candidate.name === result.safetyBackup)?.manifest?.kind).toBe('safety');
    });
  }

  it('refuses a restore whose typed confirmation is not the database name, touching nothing', async () => {
    const entry = await backup();
    const result = await backend.dispatch('backups.restore', { name: entry.name, confirm: 'wrong' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'confirm' } });
  });

  it('restores into a new database, leaving the connected one alone', async () => {
    const entry = await backup();
    const before = await tableChecksums(client);
    const target = `${database}_copy`;
    const job = await runJob(backend, 'backups.restore', { name: entry.name, target: { mode: 'new', database: target }, confirm: target });
    expect(job.error).toBeNull();
    const copy = await rawClient(target);
    try {
      expect(await tableChecksums(copy)).toEqual(before);
    } finally {
      await copy.end();
    }
    expect(await tableChecksums(client)).toEqual(before);
  });
});

describe('interop with the seed commands', () => {
  function runTool(command: string, args: string[], options: { stdout?: string; stdin?: string; database: string }): Promise<number> {
    const connection = serverConnection();
    return new Promise((resolve, reject) => {
      void (async () => {
        const out = options.stdout ? await fs.open(options.stdout, 'w') : null;
        const input = options.stdin ? await fs.open(options.stdin, 'r') : null;
        const child = spawn(command, args, {
          stdio: [input ? input.fd : 'ignore', out ? out.fd : 'ignore', 'inherit'],
          env: {
            ...process.env,
            PGUSER: connection.user,
            PGHOST: connection.host,
            PGPORT: String(connection.port),
            PGPASSWORD: connection.password,
            PGDATABASE: options.database,
          },
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          void out?.close();
          void input?.close();
          resolve(code ?? -1);
        });
      })();
    });
  }

  it('restores a file made by the seed’s `pg_dump -U … -d … > backup.sql`, listed as having no manifest', async () => {
    const before = await tableChecksums(client);
    const file = path.join(folder, 'backup.sql');
    expect(await runTool('pg_dump', ['-U', serverConnection().user, '-d', database], { stdout: file, database })).toBe(0);
    const list = await call<{ backups: BackupEntry[] }>(backend, 'backups.list');
    expect(list.backups.find((entry) => entry.name === 'backup.sql')).toMatchObject({ format: 'plain', manifest: null });
    await damage();
    const job = await restore('backup.sql');
    expect(job.error).toBeNull();
    expect(await tableChecksums(client)).toEqual(before);
    expect((job.result as RestoreResult).rowCounts).toEqual(expect.arrayContaining([{ table: 'public.users', expected: 2000, actual: 2000 }]));
  });

  it('makes backups that pg_restore and psql restore by hand', async () => {
    const before = await tableChecksums(client);
    const custom = await backup({ format: 'custom' });
    const plain = await backup({ format: 'plain' });
    for (const [entry, command, args] of [
      [custom, 'pg_restore', ['--no-owner', '--single-transaction', '--exit-on-error', '-d']],
      [plain, 'psql', ['-X', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f']],
    ] as const) {
      const target = `${database}_hand_${entry.format}`;
      await client.query(`CREATE DATABASE ${target}`);
      const code =
        command === 'pg_restore'
          ? await runTool(command, [...args, target, entry.path], { database: target })
          : await runTool(command, [...args, entry.path], { database: target });
      expect(code).toBe(0);
      const copy = await rawClient(target);
      try {
        expect(await tableChecksums(copy)).toEqual(before);
      } finally {
        await copy.end();
      }
    }
  });
});

describe('what the admin set is remembered and checked', () => {
  it('remembers the last options chosen, and shows them with the command line', async () => {
    await backup({ format: 'plain', noOwner: true });
    const list = await call<{ options: { format: string; noOwner: boolean } }>(backend, 'backups.list');
    expect(list.options).toMatchObject({ format: 'plain', noOwner: true });
    const plan = await call<{ commandLine: string; file: string }>(backend, 'backups.plan', {});
    expect(plan.commandLine).toMatch(
      /pg_dump' --verbose --no-password --format=p .*--no-owner|pg_dump --verbose --no-password --format=p .*--no-owner/,
    );
    expect(plan.file).toMatch(/\.sql$/);
    await backup({ format: 'custom', noOwner: false });
  });

  it('a tool path must prove to be that tool before it is remembered', async () => {
    const wrong = await backend.dispatch('backups.tools', { paths: { pg_dump: '/usr/lib/postgresql/15/bin/pg_restore' } });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'paths.pg_dump', message: expect.stringContaining('is not pg_dump') },
    });
    const set = await call<{ paths: { pg_dump: string | null }; chosen: { pg_dump: { path: string; source: string } | null } }>(
      backend,
      'backups.tools',
      {
        paths: { pg_dump: '/usr/lib/postgresql/15/bin/pg_dump' },
      },
    );
    expect(set.paths.pg_dump).toBe('/usr/lib/postgresql/15/bin/pg_dump');
    expect(set.chosen.pg_dump).toMatchObject({ path: '/usr/lib/postgresql/15/bin/pg_dump', source: 'setting' });
    const cleared = await call<{ paths: { pg_dump: string | null } }>(backend, 'backups.tools', { paths: { pg_dump: null } });
    expect(cleared.paths.pg_dump).toBeNull();
  });

  it('browser mode downloads a backup once, through a one-time address', async () => {
    const entry = await backup();
    const web = await startBrowserModeServer({
      dispatch: backend.dispatch,
      events: appEventSource(backend.services.bus, backend.services.jobs, backend.services.connections),
      staticDir: dataDir,
      download: (ticket) => backend.services.downloads.take(ticket),
    });
    try {
      const { url } = await call<{ url: string }>(backend, 'backups.download', { name: entry.name });
      const first = await fetch(`http://127.0.0.1:${web.port}${url}`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-disposition')).toContain(entry.name);
      expect(Buffer.from(await first.arrayBuffer()).equals(await fs.readFile(entry.path))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${web.port}${url}`)).status).toBe(404);
    } finally {
      await web.close();
    }
  });
});

describe('a backup of only some tables', () => {
  it('cannot replace the whole database: the pre-flight says which tables would be dropped and not brought back', async () => {
    const entry = await backup({ tables: ['public.users'] });
    await backup({ tables: [] }); // the next one-click backup is whole again
    expect(entry.manifest?.options.tables).toEqual(['public.users']);
    const preflight = await call<Preflight>(backend, 'backups.preflight', { name: entry.name });
    expect(preflight.target.replaced.find((object) => object.name === 'public.products')).toMatchObject({ notInBackup: true });
    expect(preflight.target.replaced.find((object) => object.name === 'public.users')).toMatchObject({ notInBackup: false, estimated: false });
    expect(preflight.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'partial-backup', blocking: true, message: expect.stringContaining('public.products') }),
      ]),
    );
    const before = await tableChecksums(client);
    const job = await restore(entry.name, { safetyBackup: false });
    expect(job.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('only public.users') });
    expect(await tableChecksums(client)).toEqual(before);
    // Into a new database it is what it is: users alone.
    const target = `${database}_users_only`;
    const copy = await runJob(backend, 'backups.restore', { name: entry.name, target: { mode: 'new', database: target }, confirm: target });
    expect(copy.error).toBeNull();
  });

  it('a file that would be refused does not verify', async () => {
    await fs.writeFile(path.join(folder, 'shell.sql'), '--\n-- PostgreSQL database dump\n--\n\\! id\n\n-- PostgreSQL database dump complete\n');
    const job = await runJob(backend, 'backups.verify', { name: 'shell.sql' });
    expect(job.result).toMatchObject({ state: 'failed', message: expect.stringContaining('Line 4') });
  });

  it('a backups folder path through a file, or under /proc, is refused at once', async () => {
    await fs.writeFile(path.join(dataDir, 'plain-file'), '');
    for (const folderPath of [path.join(dataDir, 'plain-file'), path.join(dataDir, 'plain-file', 'below'), '/proc/simple-db-nope']) {
      const result = await backend.dispatch('backups.folder.set', { folder: folderPath });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).not.toBe('INTERNAL');
    }
  });
});

describe('roles the file names that do not exist here', () => {
  it('are found by the pre-flight, block the restore, and --no-owner --no-privileges lets it through with our user owning everything', async () => {
    const before = await tableChecksums(client);
    const entry = await backup({ format: 'plain' });
    // As the seed's admin would have it: every object owned by "admin", granted to "reporting".
    const text = (await fs.readFile(entry.path, 'utf8'))
      .replace(/OWNER TO \S+;/g, 'OWNER TO admin;')
      .replace('-- PostgreSQL database dump complete', 'GRANT SELECT ON TABLE public.users TO reporting;\n\n-- PostgreSQL database dump complete');
    await fs.writeFile(path.join(folder, 'from-fastapi.sql'), text);

    const preflight = await call<Preflight>(backend, 'backups.preflight', { name: 'from-fastapi.sql' });
    const problem = preflight.problems.find((candidate) => candidate.kind === 'missing-roles');
    expect(problem).toMatchObject({ blocking: true, fix: 'noOwner', message: expect.stringMatching(/“admin”.*“reporting”|“reporting”.*“admin”/) });
    const refused = await restore('from-fastapi.sql', { safetyBackup: false });
    expect(refused.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--no-owner') });

    const solved = await call<Preflight>(backend, 'backups.preflight', { name: 'from-fastapi.sql', noOwner: true, noPrivileges: true });
    expect(solved.problems.filter((candidate) => candidate.blocking)).toEqual([]);
    const job = await restore('from-fastapi.sql', { safetyBackup: false, noOwner: true, noPrivileges: true });
    expect(job.error).toBeNull();
    expect(await tableChecksums(client)).toEqual(before);
    const { rows } = await client.query<{ owner: string }>("SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'users'");
    expect(rows[0]?.owner).toBe(serverConnection().user);
  });
});

describe('a target other sessions hold', () => {
  it('never hangs on their lock: the restore stops with TIMEOUT, changing nothing; ending them first lets it through', async () => {
    const entry = await backup();
    const holder = await rawClient(database);
    holder.on('error', () => undefined); // ended by the restore, as asked
    try {
      await holder.query("SET application_name = 'reporting job'");
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS SHARE MODE');
      const preflight = await call<Preflight>(backend, 'backups.preflight', { name: entry.name });
      expect(preflight.target.sessions).toEqual(expect.arrayContaining([expect.objectContaining({ applicationName: 'reporting job' })]));
      expect(preflight.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'sessions', fix: 'terminateSessions' })]));
      const before = await tableChecksums(client);
      const blocked = await restore(entry.name, { safetyBackup: false });
      expect(blocked.error).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('did not let go') });
      expect(await tableChecksums(client)).toEqual(before);

      const ended = await restore(entry.name, { safetyBackup: false, terminateSessions: true });
      expect(ended.error).toBeNull();
      await expect(holder.query('SELECT 1')).rejects.toThrow();
    } finally {
      await holder.end().catch(() => undefined);
    }
  });
});
