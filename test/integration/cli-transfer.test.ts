import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { openSync, closeSync, writeSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/main/connections/profile-store';
import { tempDataDir } from '../support/backups';
import { createTestDatabase, insertUsers, rawClient, serverConnection, sessionsOf } from '../support/database';
import { repoRoot } from '../support/simple-db-process';

/** A fresh database at the current schema, through `npm run migrate` as an admin would. */
async function migratedDatabase(): Promise<{ url: string; name: string }> {
  const created = await createTestDatabase();
  const migrate = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'migrate.mjs'), 'up'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: created.url },
    encoding: 'utf8',
  });
  expect(migrate.status, migrate.stderr).toBe(0);
  return created;
}

let source: { url: string; name: string };
let client: pg.Client;
let dataDir: string;

beforeAll(async () => {
  source = await migratedDatabase();
  dataDir = await tempDataDir('simple-db-cli-transfer-');
  client = await rawClient(source.name);
  await insertUsers(client, [
    ['ann@example.com', 'Ann', '2024-01-02 03:04:05.123456'],
    ['bob@example.com', 'Bob, "the" builder', '2024-02-03 04:05:06'],
    ['zoe@other.org', 'Zoë 日本', '2024-03-04 05:06:07'],
    ['annabel@example.com', 'Annabel', '2024-04-05 06:07:08'],
  ]);
  await client.query(
    `INSERT INTO products (name, owner_id) SELECT 'Widget ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE (SELECT id FROM users ORDER BY id LIMIT 1 OFFSET g % 4) END FROM generate_series(1, 25) AS g`,
  );
}, 120_000);
afterAll(async () => {
  await client?.end();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

interface RunOptions {
  url?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** `npm run export|import -- …` as a terminal runs it (the same script, without npm's banner). */
function run(script: 'export' | 'import', args: string[], options: RunOptions = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, SIMPLE_DB_DATA_DIR: dataDir, PGPASSFILE: path.join(dataDir, 'no-pgpass'), ...options.env };
  delete env.DATABASE_URL;
  delete env.PGPASSWORD;
  delete env.npm_lifecycle_event;
  Object.assign(env, options.env);
  if (options.url !== undefined) env.DATABASE_URL = options.url;
  else if (!('url' in options)) env.DATABASE_URL = source.url;
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', `${script}.mjs`), ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function usersOf(database: string) {
  const other = await rawClient(database);
  try {
    return (
      await other.query<{ email: string; name: string; created_at: string }>(
        `SELECT email, name, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') AS created_at FROM users ORDER BY email`,
      )
    ).rows;
  } finally {
    await other.end();
  }
}

async function productsOf(database: string) {
  const other = await rawClient(database);
  try {
    return (
      await other.query<{ name: string; owner: string | null }>(
        'SELECT p.name, u.email AS owner FROM products p LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.name, u.email',
      )
    ).rows;
  } finally {
    await other.end();
  }
}

describe('npm run export', { timeout: 90_000 }, () => {
  it('writes the users a search matches to stdout as CSV, in the order asked, progress and notes on stderr only', () => {
    const result = run('export', ['users', '--search', 'ann', '--sort', 'email', '--desc']);
    expect(result.err).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      ['id,email,name,created_at', '4,annabel@example.com,Annabel,2024-04-05 06:07:08', '1,ann@example.com,Ann,2024-01-02 03:04:05.123456', ''].join(
        '\n',
      ),
    );
    expect(result.err).toMatch(/^Database: /m);
    expect(result.err).toContain('Exported 2 rows of users');
  });

  it('quotes as RFC 4180 has it, and writes --output through a .partial file', async () => {
    const file = path.join(dataDir, 'users.csv');
    const result = run('export', ['users', '--match', 'email', '--search', 'bob@example.com', '--output', file]);
    expect(result.code).toBe(0);
    expect(result.out).toBe('');
    expect(await fs.readFile(file, 'utf8')).toBe('id,email,name,created_at\n2,bob@example.com,"Bob, ""the"" builder",2024-02-03 04:05:06\n');
    await expect(fs.access(`${file}.partial`)).rejects.toThrow();
  });

  it('`npm run export -- users > file` without -s: the file holds the CSV alone, not npm’s banner above it', async () => {
    const file = path.join(dataDir, 'redirected.csv');
    const fd = openSync(file, 'w');
    writeSync(fd, '\n> simple-db@0.1.0 export\n> node scripts/export.mjs users\n\n');
    try {
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'export.mjs'), 'users', '--search', 'zoe'], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: source.url, SIMPLE_DB_DATA_DIR: dataDir, npm_lifecycle_event: 'export' },
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(await fs.readFile(file, 'utf8')).toBe('id,email,name,created_at\n3,zoe@other.org,Zoë 日本,2024-03-04 05:06:07\n');
    // Into a pipe the banner cannot be taken back: the command says how to run it instead.
    const piped = run('export', ['users'], { env: { npm_lifecycle_event: 'export' } });
    expect(piped.code).toBe(1);
    expect(piped.out).toBe('');
    expect(piped.err).toContain('npm run -s export');
  });

  it('says what is wrong with the options, without a stack trace', () => {
    const table = run('export', ['widgets']);
    expect(table.code).toBe(1);
    expect(table.err).toContain('There is no table "widgets" to transfer: users or products.');
    const sort = run('export', ['products', '--sort', 'email']);
    expect(sort.code).toBe(1);
    expect(sort.err).toMatch(/--sort: .*"id"\|"name"/);
    const typo = run('export', ['users', '--serch', 'x']);
    expect(typo.err).toContain('Unknown option --serch.');
    for (const result of [table, sort, typo]) expect(result.err).not.toMatch(/\n\s+at /);
    const help = run('import', ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('npm run import -- users|products FILE');
  });
});

describe('npm run import', { timeout: 90_000 }, () => {
  it('imports a good file and says what it wrote', async () => {
    const target = await migratedDatabase();
    const file = path.join(dataDir, 'good.csv');
    await fs.writeFile(file, 'email,name\nAda@Example.com,Ada\n"c@example.com","Cy, ""the"" cat"\n');
    const result = run('import', ['users', file], { url: target.url });
    expect(result.err).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Imported 2 users.');
    expect((await usersOf(target.name)).map((u) => [u.email, u.name])).toEqual([
      ['ada@example.com', 'Ada'],
      ['c@example.com', 'Cy, "the" cat'],
    ]);
  });

  it('a file with bad lines: exit 2, the lines on stderr, the full report with --report, and the table unchanged', async () => {
    const before = await usersOf(source.name);
    const file = path.join(dataDir, 'bad.csv');
    const report = path.join(dataDir, 'bad-report.csv');
    await fs.writeFile(file, 'email,name\nnot-an-email,Ann\nnew@example.com,\nok@example.com,Fine\nann@example.com,Again\n');
    const result = run('import', ['users', file, '--report', report]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('line 2, email: Email must look like name@example.com (not-an-email)');
    expect(result.err).toContain('line 3, name: Name is required');
    expect(result.err).toMatch(/line 5, email: Already in the table as user #1\. \(ann@example\.com\)/);
    expect(result.out).toContain('Nothing was imported: 3 bad lines (reject mode writes nothing when a line is bad).');
    expect(result.out).toContain('Fix them, or import with --mode skip to leave them out.');
    expect(result.err).not.toMatch(/\n\s+at /);
    const reportText = await fs.readFile(report, 'utf8');
    expect(reportText.split('\r\n')[0]).toBe('line,column,value,reason');
    expect(reportText).toContain('2,email,not-an-email,Email must look like name@example.com');
    expect(await usersOf(source.name)).toEqual(before);
  });

  it('counts bad lines, not problems: a line with two problems is one bad line', async () => {
    const before = await usersOf(source.name);
    const file = path.join(dataDir, 'two-problems.csv');
    await fs.writeFile(file, 'email,name\n,\nfine@example.com,Fine\nnot-an-email,Ann\n');
    const result = run('import', ['users', file]);
    expect(result.code).toBe(2);
    expect(result.out).toContain('Nothing was imported: 2 bad lines (reject mode writes nothing when a line is bad).');
    expect(result.out).toContain('3 problems on 2 lines.');
    expect(await usersOf(source.name)).toEqual(before);
  });

  it('update mode is all or nothing: a bad line and nothing is updated, exit 2', async () => {
    const before = await usersOf(source.name);
    const file = path.join(dataDir, 'update-bad.csv');
    await fs.writeFile(file, 'email,name\nann@example.com,Ann Updated\nnot-an-email,Nobody\n');
    const result = run('import', ['users', file, '--mode', 'update']);
    expect(result.code).toBe(2);
    expect(result.out).toContain('Nothing was imported: 1 bad line (update mode writes nothing when a line is bad).');
    expect(result.out).toContain('Fix them, or import with --mode skip to leave them out.');
    expect(await usersOf(source.name)).toEqual(before);
    const help = run('import', ['--help']);
    expect(help.out).toMatch(/--mode update \(users\): all or nothing like reject/);
  });

  it('skip mode with every line bad: says nothing was imported, never "Imported", and exits 2', async () => {
    const before = await usersOf(source.name);
    const file = path.join(dataDir, 'all-bad.csv');
    await fs.writeFile(file, 'email,name\nann@example.com,Again\nnot-an-email,Nobody\n');
    const result = run('import', ['users', file, '--mode', 'skip']);
    expect(result.code).toBe(2);
    expect(result.out).toContain('Read 2 lines: all 2 were bad, so nothing was imported.');
    expect(result.out).not.toContain('Imported');
    expect(await usersOf(source.name)).toEqual(before);
  });

  it('a quote out of place: the line, nothing written in skip mode either, and no advice to skip', async () => {
    const before = await usersOf(source.name);
    const file = path.join(dataDir, 'bad-quote.csv');
    await fs.writeFile(file, 'email,name\nq1@example.com,Fine\nq2@example.com,"unterminated\nq3@example.com,Fine\nq4@example.com,Fine\n');
    const result = run('import', ['users', file, '--mode', 'skip']);
    expect(result.code).toBe(2);
    expect(result.out).toContain('Nothing was imported: line 3 could not be read (a quote out of place), so the rest of the file was not read.');
    expect(result.out).toContain('Fix that line and import again.');
    expect(result.out).not.toMatch(/--mode|reject mode|skip mode/);
    expect(result.err).not.toMatch(/INTERNAL|\n\s+at /);
    expect(await usersOf(source.name)).toEqual(before);
  });

  it('refuses a file npm’s banner spoiled, a wrong mode and a missing file, in words', async () => {
    const spoiled = path.join(dataDir, 'spoiled.csv');
    await fs.writeFile(spoiled, '\n> simple-db@0.1.0 export\n> node scripts/export.mjs users\n\nid,email,name,created_at\n');
    const banner = run('import', ['users', spoiled]);
    expect(banner.code).toBe(1);
    expect(banner.err).toContain('npm run -s export');
    const mode = run('import', ['products', spoiled, '--mode', 'update']);
    expect(mode.code).toBe(1);
    expect(mode.err).toContain('--mode: Mode must be reject or skip');
    const missing = run('import', ['users', path.join(dataDir, 'no-such.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no-such\.csv/);
    for (const result of [banner, mode, missing]) expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('round trip: users and products exported, then imported into an empty database, are the same rows', async () => {
    const target = await migratedDatabase();
    const users = path.join(dataDir, 'all-users.csv');
    const products = path.join(dataDir, 'all-products.csv');
    expect(run('export', ['users', '--output', users]).code).toBe(0);
    expect(run('export', ['products', '--output', products]).code).toBe(0);
    const importedUsers = run('import', ['users', users], { url: target.url });
    expect(importedUsers.err).not.toMatch(/error/i);
    expect(importedUsers.code).toBe(0);
    expect(await usersOf(target.name)).toEqual(await usersOf(source.name));
    const importedProducts = run('import', ['products', products], { url: target.url });
    expect(importedProducts.err).not.toMatch(/error/i);
    expect(importedProducts.code).toBe(0);
    expect(await productsOf(target.name)).toEqual(await productsOf(source.name));
  });
});

describe('--connection "<saved connection>"', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    const server = serverConnection();
    await ProfileStore.inDataDir(dataDir).save({
      name: 'Test server',
      host: server.host,
      port: server.port,
      database: source.name,
      user: server.user,
      ssl: { mode: 'disable' },
      color: 'none',
      readOnly: false,
    });
  });

  it('exports through a saved connection, its password from PGPASSWORD', () => {
    const result = run('export', ['users', '--connection', 'test server', '--search', 'zoe'], {
      url: undefined,
      env: { PGPASSWORD: serverConnection().password },
    });
    expect(result.err).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.err).toContain('Database: “Test server”');
    expect(result.out).toBe('id,email,name,created_at\n3,zoe@other.org,Zoë 日本,2024-03-04 05:06:07\n');
  });

  it('without a password the terminal can read, says how to give one; an unknown name lists the saved ones', () => {
    const noPassword = run('export', ['users', '--connection', 'Test server'], { url: undefined });
    expect(noPassword.code).toBe(1);
    expect(noPassword.err).toContain('set PGPASSWORD');
    expect(noPassword.err).not.toContain(serverConnection().password);
    const unknown = run('export', ['users', '--connection', 'Prod'], { url: undefined });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('There is no saved connection named “Prod”. Saved: “Test server”.');
  });
});

describe('Ctrl+C', { timeout: 90_000 }, () => {
  it('cancels an export: exit 130, no file, no .partial, no COPY left on the server', async () => {
    // The export is held on the table's lock until the interrupt, so the test never races its end.
    const holder = await rawClient(source.name);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const file = path.join(dataDir, 'cancelled.csv');
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: source.url, SIMPLE_DB_DATA_DIR: dataDir };
      delete env.npm_lifecycle_event;
      const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'main', 'transfer-cli.js'), 'export', 'users', '--output', file], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const waitingExport = async () => (await sessionsOf(client, 'simple-db (export)', { waitingForLock: true })).length;
      await expect.poll(waitingExport, { timeout: 60_000 }).toBe(1);
      child.kill('SIGINT');
      expect(await exit, stderr).toBe(130);
      expect(stderr).toContain('Interrupted: the export was cancelled on the server; no file was written.');
      await expect(fs.access(file)).rejects.toThrow();
      await expect(fs.access(`${file}.partial`)).rejects.toThrow();
      await expect.poll(() => sessionsOf(client, 'simple-db (export)'), { timeout: 15_000 }).toEqual([]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  }, 120_000);
});
