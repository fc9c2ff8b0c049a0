import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUsersAndProducts, tableChecksums, tempDataDir } from '../support/backups';
import { createTestDatabase, rawClient } from '../support/database';
import { repoRoot } from '../support/simple-db-process';

let databaseUrl: string;
let database: string;
let dataDir: string;
beforeAll(async () => {
  ({ url: databaseUrl, name: database } = await createTestDatabase());
  dataDir = await tempDataDir();
  const migrate = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'migrate.mjs'), 'up'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  expect(migrate.status).toBe(0);
  const client = await rawClient(database);
  try {
    await seedUsersAndProducts(client, 500);
  } finally {
    await client.end();
  }
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

/** `npm run backup|restore -- …` as cron would run it (the same script, without npm's banner). */
function run(script: 'backup' | 'restore', ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', `${script}.mjs`), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, SIMPLE_DB_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function checksums() {
  const client = await rawClient(database);
  try {
    return await tableChecksums(client);
  } finally {
    await client.end();
  }
}

describe('npm run backup / npm run restore', () => {
  it('backs up into a chosen folder with a manifest, and restores it with --yes', async () => {
    const out = path.join(dataDir, 'nightly');
    await fs.mkdir(out);
    const backup = run('backup', '--format', 'plain', '--out', `${out}/`);
    expect(backup.err).not.toMatch(/error/i);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/Backup written and verified: .*\.sql/);
    expect(backup.out).toContain('PGPASSWORD=••••••');
    const files = await fs.readdir(out);
    const file = files.find((name) => name.endsWith('.sql'))!;
    expect(files).toContain(`${file}.manifest.json`);
    const manifest = JSON.parse(await fs.readFile(path.join(out, `${file}.manifest.json`), 'utf8')) as {
      manifest: { rowCounts: Record<string, number> };
    };
    expect(manifest.manifest.rowCounts['public.users']).toBe(500);

    const before = await checksums();
    const client = await rawClient(database);
    await client.query('DELETE FROM products');
    await client.end();
    const restore = run('restore', path.join(out, file), '--yes');
    // Progress goes to stderr (one line per step when not on a terminal), results to stdout.
    expect(restore.err).toMatch(/Safety backup: Dumping table public\.users/);
    expect(restore.err).not.toMatch(/error/i);
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/Safety backup: .*\.dump/);
    expect(restore.out).toContain(`Restored into ${database}.`);
    expect(await checksums()).toEqual(before);
  });

  it('exits non-zero with the translated reason, for scripts', async () => {
    const missing = run('restore', path.join(dataDir, 'no-such.dump'), '--yes');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no-such\.dump does not exist/);
    const unconfirmed = run(
      'restore',
      path.join(
        dataDir,
        'nightly',
        (await fs.readdir(path.join(dataDir, 'nightly'))).find((n) => n.endsWith('.sql'))!,
      ),
    );
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.err).toMatch(/pass --yes/);
    // A typo stops the command rather than being ignored (with --yes, --in for --into would replace the live database).
    const typo = run('restore', path.join(dataDir, 'no-such.dump'), '--in=copydb', '--yes');
    expect(typo.code).toBe(1);
    expect(typo.err).toContain('Unknown option --in.');
    const help = run('backup', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage:');
    expect(help.out).not.toContain('Backup written');
    const badFormat = run('backup', '--format', 'zip');
    expect(badFormat.code).toBe(1);
    expect(badFormat.err).toMatch(/--format must be custom, plain or directory/);
  });
});
