import { spawn, spawnSync } from 'node:child_process';
import { watch } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationList } from '../../src/main/db/migrations';
import { createTestDatabase, rawClient } from '../support/database';
import { processesMentioning } from '../support/processes';
import { repoRoot } from '../support/simple-db-process';
import { sizeText } from '../../src/shared/size-text';

let databaseUrl: string;
let database: string;
let migrationsDir: string;
beforeAll(async () => {
  ({ url: databaseUrl, name: database } = await createTestDatabase());
  migrationsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-migrations-'));
});
afterAll(() => fs.rm(migrationsDir, { recursive: true, force: true }));

/** `npm run migrate -- …` as an admin types it (through the same script, without npm's banner). */
function migrate(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'migrate.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, SIMPLE_DB_MIGRATIONS_DIR: migrationsDir, SIMPLE_DB_DATA_DIR: path.join(migrationsDir, 'data') },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function tables(): Promise<string[]> {
  const client = await rawClient(database);
  try {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    return rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}

async function indexExists(name: string): Promise<boolean> {
  const client = await rawClient(database);
  try {
    const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
    return rows[0]!.exists;
  } finally {
    await client.end();
  }
}

describe('npm run migrate', () => {
  const names = migrationList.map((m) => m.name);

  it('status lists pending migrations without changing the database', async () => {
    const { code, out } = migrate('status');
    expect(code).toBe(0);
    for (const name of names) expect(out).toContain(`pending  ${name}`);
    expect(out).toContain(`${names.length} pending`);
    // What the index migration will build, and how (a database the admin brought keeps serving).
    const indexMigration = migrationList.find((m) => m.module.indexes?.length)!;
    // On empty tables each index is its meta and root pages: 16 kB.
    const count = indexMigration.module.indexes!.length;
    expect(out).toContain(`pending  ${indexMigration.name} — builds ${count} indexes (~${sizeText(count * 16_384)}, ~0 s, CONCURRENTLY)`);
    expect(await tables()).toEqual([]);
  });

  it('up applies them, and a second up has nothing to do', async () => {
    const first = migrate('up');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Applied ${names.length} migration(s).`);
    // Indexes are built CONCURRENTLY outside the migration's transaction, each one said as it starts.
    expect(first.out).toContain('Indexes are built CONCURRENTLY');
    expect(first.out).toMatch(/^ {2}Index 1 of \d+: ix_users_name_id \(sorting users by name\) — /m);
    expect(first.out).toMatch(/Indexes: built \d+ indexes\./);
    // On a DATABASE_URL database a backup comes first, recorded as taken before these migrations.
    expect(first.out).toMatch(/Backed up first: .*\.dump/);
    const backups = path.join(migrationsDir, 'data', 'backups');
    const manifestFile = (await fs.readdir(backups)).find((name) => name.endsWith('.manifest.json'))!;
    const { manifest } = JSON.parse(await fs.readFile(path.join(backups, manifestFile), 'utf8')) as {
      manifest: { kind: string; migrations: string[] };
    };
    expect(manifest).toMatchObject({ kind: 'pre-migration', migrations: names });
    expect(await tables()).toEqual(['SequelizeMeta', 'products', 'users']);
    expect(migrate('up').out).toContain('Nothing to apply');
  });

  it('down reverts the last one; down --to 0 reverts all; up restores', async () => {
    expect(migrate('down').out).toContain(`reverted ${names[names.length - 1]}`);
    // The newest migration adds the list indexes: the tables stay, its indexes go.
    expect(await tables()).toEqual(['SequelizeMeta', 'products', 'users']);
    expect(await indexExists('ix_users_name_id')).toBe(false);
    expect(migrate('down', '--to', '0').code).toBe(0);
    expect(await tables()).toEqual(['SequelizeMeta']);
    expect(migrate('up').code).toBe(0);
    expect(await tables()).toEqual(['SequelizeMeta', 'products', 'users']);
    expect(await indexExists('ix_users_name_id')).toBe(true);
  });

  it('create writes a migration template with up and down', async () => {
    const { code, out } = migrate('create', 'add-price');
    expect(code).toBe(0);
    const files = await fs.readdir(migrationsDir);
    const created = files.filter((name) => name.endsWith('.ts'));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^\d{4}\.\d{2}\.\d{2}T\d{2}\.\d{2}\.\d{2}\.add-price\.ts$/);
    expect(out).toContain('add-price');
    // Runs after every existing migration.
    expect(path.basename(created[0]!, '.ts') > names[names.length - 1]!).toBe(true);
    const text = await fs.readFile(path.join(migrationsDir, created[0]!), 'utf8');
    expect(text).toContain('export async function up');
    expect(text).toContain('export async function down');
  });

  it('Ctrl+C while it starts the embedded server leaves no server or lock behind', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-cli-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, SIMPLE_DB_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'main', 'cli.js'), 'status'], { env });
      const exit = new Promise((resolve) => child.once('exit', resolve));
      // The moment PostgreSQL writes its lock file, it is starting: interrupt the command then.
      await new Promise<void>((resolve) => {
        const poll = watch(dataDir, { recursive: true }, (_event, file) => {
          if (String(file).endsWith('postmaster.pid')) {
            poll.close();
            resolve();
          }
        });
      });
      child.kill('SIGINT');
      expect(await exit).toBe(130);
      expect(await processesMentioning(dataDir)).toEqual([]);
      expect(await fs.readdir(dataDir)).not.toContain('simple-db.pid');
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('explains bad usage and bad targets in one line, without the password', () => {
    const badName = migrate('create', 'Bad Name!');
    expect(badName.code).toBe(1);
    expect(badName.err).toContain('lower-case letters');
    const unknown = migrate('sideways');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Unknown command "sideways"');
    const badTarget = migrate('down', '--to', 'no-such-migration');
    expect(badTarget.err).toContain('There is no migration named "no-such-migration"');
    const url = new URL(databaseUrl.replace(/\/[^/]+$/, '/missing_db'));
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'migrate.mjs'), 'status'], {
      env: { ...process.env, DATABASE_URL: url.href },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('does not exist');
    expect(result.stderr).not.toContain(decodeURIComponent(url.password));
  });
});
