import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/errors/app-error';
import {
  candidateFolders,
  discoverTools,
  installHint,
  parseVersionOutput,
  pickTool,
  readToolVersion,
  type InstalledTool,
  type ToolName,
} from '../../src/main/backups/tools';

// The real tools of this machine: Debian's PostgreSQL 15 client. /usr/bin/pg_dump is Debian's
// pg_wrapper script; /usr/lib/postgresql/15/bin/pg_dump is the program itself.
const DEBIAN_PG_DUMP = '/usr/bin/pg_dump';
const DEBIAN_VERSIONED_PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-pg-tools-'));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A real (tiny) program that prints `output` when run: a stand-in for a tool of another version. */
async function fakeTool(file: string, script: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

/** The AppError `promise` rejects with (failing the test if it resolves or rejects with something else). */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function thrownBy(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('parseVersionOutput', () => {
  it.each([
    ['pg_dump', 'pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)', '15.18', 15],
    ['pg_dump', 'pg_dump (PostgreSQL) 16.4 (Homebrew)', '16.4', 16],
    ['pg_dump', 'pg_dump (PostgreSQL) 17.0\r\n', '17.0', 17],
    ['psql', 'psql (PostgreSQL) 17.2', '17.2', 17],
    ['pg_restore', 'pg_restore (PostgreSQL) 18beta1', '18beta1', 18],
    ['psql', 'psql (PostgreSQL) 14.11 (Ubuntu 14.11-0ubuntu0.22.04.1)', '14.11', 14],
    ['pg_dump', 'pg_dump (PostgreSQL) 9.6.24', '9.6.24', 9.6],
    ['pg_dump', 'pg_dump.exe (PostgreSQL) 17.0', '17.0', 17],
  ] as const)('%s: %s', (name, output, version, major) => {
    expect(parseVersionOutput(name, output)).toEqual({ version, major });
  });

  it('finds the version line among others', () => {
    expect(parseVersionOutput('psql', 'warning: something\npsql (PostgreSQL) 16.1\n')).toEqual({ version: '16.1', major: 16 });
  });

  it.each([
    ['pg_dump', 'pg_restore (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)'],
    ['psql', 'pg_dump (PostgreSQL) 17.2'],
    ['pg_dump', 'ls (GNU coreutils) 9.1'],
    ['pg_dump', ''],
    ['pg_dump', 'pg_dump (PostgreSQL)'],
    ['pg_dump', 'pg_dump (PostgreSQL) seventeen'],
    ['pg_dump', 'pg_dump (Greenplum Database) 6.25.3'],
    ['pg_dump', '\u0000\u00ff garbage \n more garbage'],
  ] as const)('%s is not in %j', (name, output) => {
    expect(parseVersionOutput(name, output)).toBeNull();
  });
});

describe('readToolVersion', () => {
  it("reads this machine's pg_dump, pg_restore and psql", async () => {
    for (const name of ['pg_dump', 'pg_restore', 'psql'] as const) {
      const tool = await readToolVersion(name, `/usr/bin/${name}`);
      expect(tool).toMatchObject({ name, path: `/usr/bin/${name}`, major: 15, source: 'setting' });
      expect(tool.version).toMatch(/^15\.\d+$/);
    }
    expect(await readToolVersion('pg_dump', DEBIAN_VERSIONED_PG_DUMP, 'folder')).toMatchObject({ major: 15, source: 'folder' });
  });

  it('refuses another PostgreSQL tool, saying what it is', async () => {
    const error = await appErrorOf(readToolVersion('pg_dump', '/usr/bin/pg_restore'));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect(error.message).toContain('/usr/bin/pg_restore is not pg_dump');
    expect(error.message).toContain('pg_restore (PostgreSQL) 15');
  });

  it('refuses a program that is not a PostgreSQL tool', async () => {
    const error = await appErrorOf(readToolVersion('pg_dump', '/bin/ls'));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect(error.message).toMatch(/^\/bin\/ls is not pg_dump: asked for its version, it said “ls \(GNU coreutils\)/);
  });

  it('refuses a missing file, a folder, a relative path and a file that is not executable', async () => {
    const missing = path.join(tmp, 'nowhere', 'pg_dump');
    expect(await appErrorOf(readToolVersion('pg_dump', missing))).toMatchObject({
      code: 'VALIDATION',
      field: 'path',
      message: `${missing} does not exist.`,
    });
    expect((await appErrorOf(readToolVersion('psql', tmp))).message).toBe(`${tmp} is a folder, not psql.`);
    expect((await appErrorOf(readToolVersion('pg_dump', 'pg_dump'))).message).toContain('pg_dump is not a full path');

    const notExecutable = path.join(tmp, 'plain', 'pg_dump');
    await fs.mkdir(path.dirname(notExecutable), { recursive: true });
    await fs.writeFile(notExecutable, 'pg_dump (PostgreSQL) 17.2\n', { mode: 0o644 });
    const error = await appErrorOf(readToolVersion('pg_dump', notExecutable));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect(error.message).toBe(`${notExecutable} could not be run as pg_dump: it is not executable.`);
  });

  it('refuses a program that fails or prints nothing', async () => {
    const failing = await fakeTool(path.join(tmp, 'failing', 'pg_dump'), "echo 'unknown option --version' >&2; exit 2");
    const failed = await appErrorOf(readToolVersion('pg_dump', failing));
    expect(failed).toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect(failed.message).toContain(`${failing} could not be run as pg_dump`);
    expect(failed.message).toContain('unknown option --version');

    const silent = await fakeTool(path.join(tmp, 'silent', 'pg_dump'), 'exit 0');
    expect((await appErrorOf(readToolVersion('pg_dump', silent))).message).toBe(
      `${silent} is not pg_dump: asked for its version, it printed nothing.`,
    );
  });

  it('gives up on a program that does not answer within 5 s', async () => {
    const hanging = await fakeTool(path.join(tmp, 'hanging', 'pg_dump'), 'exec sleep 30');
    const started = Date.now();
    const error = await appErrorOf(readToolVersion('pg_dump', hanging));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'path' });
    expect(error.message).toContain('did not answer --version within 5 s');
    expect(Date.now() - started).toBeLessThan(9000);
  });

  it('runs the tool in the C locale', async () => {
    const localeEcho = await fakeTool(path.join(tmp, 'locale', 'psql'), 'echo "psql (PostgreSQL) 17.2 ($LC_ALL)"');
    expect(await readToolVersion('psql', localeEcho)).toMatchObject({ version: '17.2', major: 17 });
    const notC = await fakeTool(path.join(tmp, 'locale-strict', 'psql'), '[ "$LC_ALL" = C ] && echo "psql (PostgreSQL) 17.2"');
    expect(await readToolVersion('psql', notC)).toMatchObject({ major: 17 });
  });
});

describe('candidateFolders', () => {
  /** Makes each folder (relative to `root`) and returns their absolute paths. */
  async function makeTree(root: string, folders: readonly string[]): Promise<string[]> {
    for (const folder of folders) await fs.mkdir(path.join(root, folder), { recursive: true });
    return folders.map((folder) => path.join(root, folder));
  }

  it('lists the Linux folders, newest version first, skipping what does not exist', async () => {
    const root = path.join(tmp, 'linux-root');
    await makeTree(root, ['usr/lib/postgresql/16', 'usr/lib/postgresql/notes/bin', 'usr/pgsql-tools/bin', 'opt/other/bin']);
    const expected = await makeTree(root, [
      'usr/lib/postgresql/17/bin',
      'usr/lib/postgresql/15/bin',
      'usr/lib/postgresql/9.6/bin',
      'usr/pgsql-16/bin',
      'usr/pgsql-13/bin',
      'usr/local/pgsql/bin',
      'opt/postgresql-16/bin',
      'opt/postgresql/bin',
    ]);
    expect(await candidateFolders({ platform: 'linux', env: {}, root })).toEqual(expected);
    // Other Unix systems look in the same places.
    expect(await candidateFolders({ platform: 'freebsd', env: {}, root })).toEqual(expected);
  });

  it('lists the macOS folders: Homebrew (both prefixes, kegs too), Postgres.app, the EDB installer', async () => {
    const root = path.join(tmp, 'mac-root');
    await makeTree(root, ['opt/homebrew/opt/postgis/bin', 'Library/PostgreSQL/15']);
    const expected = await makeTree(root, [
      'opt/homebrew/bin',
      'opt/homebrew/opt/postgresql@17/bin',
      'opt/homebrew/opt/postgresql@16/bin',
      'opt/homebrew/opt/libpq/bin',
      'usr/local/bin',
      'usr/local/opt/postgresql@14/bin',
      'Applications/Postgres.app/Contents/Versions/17/bin',
      'Applications/Postgres.app/Contents/Versions/16/bin',
      'Applications/Postgres.app/Contents/Versions/latest/bin',
      'Library/PostgreSQL/16/bin',
    ]);
    expect(await candidateFolders({ platform: 'darwin', env: {}, root })).toEqual(expected);
  });

  it('lists the Windows folders from the environment, whatever the case of its names', async () => {
    const root = path.join(tmp, 'windows-root');
    const env = { PROGRAMFILES: '/Program Files', 'ProgramFiles(x86)': '/Program Files (x86)', LocalAppData: '/Users/me/AppData/Local' };
    await makeTree(root, ['Program Files/PostgreSQL/pgAdmin 4/bin', 'Program Files/PostgreSQL/14']);
    const expected = await makeTree(root, [
      'Program Files/PostgreSQL/17/bin',
      'Program Files/PostgreSQL/16/bin',
      'Program Files (x86)/PostgreSQL/10/bin',
      'Users/me/AppData/Local/Programs/PostgreSQL/15/bin',
    ]);
    expect(await candidateFolders({ platform: 'win32', env, root })).toEqual(expected);
    expect(await candidateFolders({ platform: 'win32', env: {}, root })).toEqual([]);
  });

  it("finds this machine's Debian folder", async () => {
    expect(await candidateFolders({ platform: 'linux' })).toContain('/usr/lib/postgresql/15/bin');
  });

  it('is empty when nothing exists under root', async () => {
    const root = path.join(tmp, 'empty-root');
    await fs.mkdir(root);
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(await candidateFolders({ platform, env: { ProgramFiles: '/Program Files' }, root })).toEqual([]);
    }
  });
});

describe('discoverTools', () => {
  const inTmp = (tools: InstalledTool[]) => tools.filter((tool) => tool.path.startsWith(tmp));

  it("finds this machine's pg_dump in PATH and in Debian's folder, once per real file", async () => {
    const tools = await discoverTools({ platform: 'linux', env: { PATH: '/usr/bin:/usr/bin' }, names: ['pg_dump'] });
    expect(tools[0]).toMatchObject({ name: 'pg_dump', path: DEBIAN_PG_DUMP, major: 15, source: 'path' });
    expect(tools.filter((tool) => tool.path === DEBIAN_PG_DUMP)).toHaveLength(1);

    // /usr/bin/pg_dump is normally Debian's wrapper script, not the program: then both are listed.
    const sameFile = (await fs.realpath(DEBIAN_PG_DUMP)) === (await fs.realpath(DEBIAN_VERSIONED_PG_DUMP));
    const versioned = tools.filter((tool) => tool.path === DEBIAN_VERSIONED_PG_DUMP);
    if (sameFile) expect(versioned).toEqual([]);
    else expect(versioned).toEqual([expect.objectContaining({ major: 15, source: 'folder' })]);
  });

  it('finds all three tools by default', async () => {
    const tools = await discoverTools({ platform: 'linux', env: { PATH: '/usr/bin' } });
    const inPath = tools.filter((tool) => tool.source === 'path').map((tool) => tool.name);
    // Debian links all three to one wrapper script: the same real file still counts once per name.
    expect(inPath).toEqual(['pg_dump', 'pg_restore', 'psql']);
  });

  it('counts a linked copy once, keeps each name of a shared wrapper, and skips impostors', async () => {
    const first = path.join(tmp, 'discover', 'first');
    const linked = path.join(tmp, 'discover', 'linked');
    const extra = path.join(tmp, 'discover', 'extra');
    // Like Debian's pg_wrapper: one script that answers for whichever name it was started as.
    const wrapper = await fakeTool(path.join(tmp, 'discover', 'wrapper'), 'echo "$(basename "$0") (PostgreSQL) 17.2"');
    await fs.mkdir(first, { recursive: true });
    await fs.symlink(wrapper, path.join(first, 'pg_dump'));
    await fs.symlink(wrapper, path.join(first, 'pg_restore'));
    await fs.mkdir(linked, { recursive: true });
    await fs.symlink(path.join(first, 'pg_dump'), path.join(linked, 'pg_dump'));
    await fakeTool(path.join(linked, 'psql'), "echo 'ls (GNU coreutils) 9.1'");
    await fakeTool(path.join(extra, 'psql'), "echo 'psql (PostgreSQL) 16.4 (Homebrew)'");
    await fakeTool(path.join(extra, 'pg_dump'), "echo 'pg_dump (PostgreSQL) 16.4 (Homebrew)'");

    const tools = await discoverTools({ platform: 'linux', env: { PATH: `${first}::relative/bin:${linked}:${first}` }, extraFolders: [extra] });
    expect(inTmp(tools)).toEqual([
      { name: 'pg_dump', path: path.join(first, 'pg_dump'), version: '17.2', major: 17, source: 'path' },
      { name: 'pg_restore', path: path.join(first, 'pg_restore'), version: '17.2', major: 17, source: 'path' },
      { name: 'pg_dump', path: path.join(extra, 'pg_dump'), version: '16.4', major: 16, source: 'folder' },
      { name: 'psql', path: path.join(extra, 'psql'), version: '16.4', major: 16, source: 'folder' },
    ]);
  });

  it('looks for .exe files in a Windows PATH', async () => {
    const bin = path.join(tmp, 'windows-path', 'PostgreSQL 17', 'bin');
    await fakeTool(path.join(bin, 'pg_dump.exe'), "echo 'pg_dump (PostgreSQL) 17.0'");
    await fakeTool(path.join(bin, 'pg_dump'), "echo 'pg_dump (PostgreSQL) 99.0'");
    const tools = await discoverTools({ platform: 'win32', env: { Path: `"${bin}";${tmp}` }, names: ['pg_dump'] });
    expect(tools).toEqual([{ name: 'pg_dump', path: path.join(bin, 'pg_dump.exe'), version: '17.0', major: 17, source: 'path' }]);
  });
});

describe('pickTool', () => {
  const tool = (major: number, file: string, source: InstalledTool['source'] = 'path', name: ToolName = 'pg_dump'): InstalledTool => ({
    name,
    path: file,
    version: `${major}.1`,
    major,
    source,
  });
  const v15 = tool(15, '/usr/bin/pg_dump');
  const v16 = tool(16, '/usr/lib/postgresql/16/bin/pg_dump', 'folder');
  const v17 = tool(17, '/usr/lib/postgresql/17/bin/pg_dump', 'folder');
  const v18 = tool(18, '/usr/lib/postgresql/18/bin/pg_dump', 'folder');

  it('picks the same major over a newer one', () => {
    expect(pickTool([v18, v17, v16], 'pg_dump', 17)).toBe(v17);
  });

  it('picks the nearest newer major over a farther one, never an older one', () => {
    expect(pickTool([v15, v18, v17], 'pg_dump', 16)).toBe(v17);
  });

  it('picks the first found among equals', () => {
    const other17 = tool(17, '/opt/postgresql-17/bin/pg_dump', 'folder');
    expect(pickTool([v17, other17], 'pg_dump', 17)).toBe(v17);
    expect(pickTool([other17, v17], 'pg_dump', 16)).toBe(other17);
  });

  it("prefers the admin's setting when it is new enough", () => {
    const setting = tool(18, '/srv/pg/bin/pg_dump', 'setting');
    expect(pickTool([v16, v17, setting], 'pg_dump', 16)).toBe(setting);
    const oldSetting = tool(15, '/srv/old/bin/pg_dump', 'setting');
    expect(pickTool([oldSetting, v17], 'pg_dump', 16)).toBe(v17);
  });

  it('only considers tools of the asked name', () => {
    const psql16 = tool(16, '/usr/bin/psql', 'path', 'psql');
    expect(pickTool([v18, psql16], 'psql', 16)).toBe(psql16);
    expect(pickTool([psql16, v18], 'pg_dump', 16)).toBe(v18);
  });

  it('works for the two-part majors before PostgreSQL 10', () => {
    const old = { ...tool(9.6, '/usr/lib/postgresql/9.6/bin/pg_dump'), version: '9.6.24' };
    expect(pickTool([v15, old], 'pg_dump', 9.6)).toBe(old);
    expect(pickTool([old, v15], 'pg_dump', 10)).toBe(v15);
  });

  it('says which version is needed when only older ones exist', () => {
    const newest15 = { ...v15, version: '15.18' };
    const error = thrownBy(() =>
      pickTool([tool(14, '/usr/lib/postgresql/14/bin/pg_dump'), newest15, { ...v15, version: '15.2' }], 'pg_dump', 17, 'linux'),
    );
    expect(error.code).toBe('TOOL_VERSION');
    expect(error.message).toBe(
      'The server runs PostgreSQL 17, but the newest pg_dump here is 15.18 (/usr/bin/pg_dump): pg_dump must be version 17 or newer. ' +
        `Install the PostgreSQL 17 client tools: ${installHint(17, 'linux')}, or set the path of a newer pg_dump in Settings.`,
    );
  });

  it('says how to install the tools when there are none', () => {
    for (const tools of [[], [tool(17, '/usr/bin/psql', 'path', 'psql')]]) {
      const error = thrownBy(() => pickTool(tools, 'pg_dump', 15, 'darwin'));
      expect(error.code).toBe('TOOL_MISSING');
      expect(error.message).toBe(
        'No pg_dump was found. Install the PostgreSQL 15 client tools: `brew install postgresql@15` (or Postgres.app from https://postgresapp.com), or set its path in Settings.',
      );
    }
  });

  it("works with this machine's tools", async () => {
    const tools = await discoverTools({ platform: 'linux', env: { PATH: '/usr/bin' } });
    expect(pickTool(tools, 'pg_restore', 14).major).toBe(15);
    expect(pickTool(tools, 'psql', 15).path).toBe('/usr/bin/psql');
    expect(thrownBy(() => pickTool(tools, 'pg_dump', 99)).code).toBe('TOOL_VERSION');
  });
});

describe('installHint', () => {
  it('names the Debian, Ubuntu and RHEL packages on Linux, with the PGDG repositories', () => {
    const hint = installHint(17, 'linux');
    expect(hint).toContain('sudo apt-get install postgresql-client-17');
    expect(hint).toContain('https://wiki.postgresql.org/wiki/Apt');
    expect(hint).toContain('sudo dnf install postgresql17');
  });

  it('names Homebrew and Postgres.app on macOS', () => {
    expect(installHint(16, 'darwin')).toBe('`brew install postgresql@16` (or Postgres.app from https://postgresapp.com)');
  });

  it('names the EDB installer and its Command Line Tools on Windows', () => {
    const hint = installHint(17, 'win32');
    expect(hint).toContain('https://www.postgresql.org/download/windows/');
    expect(hint).toContain('Command Line Tools');
  });

  it('points elsewhere to the download page', () => {
    expect(installHint(15, 'freebsd')).toContain('PostgreSQL 15 client package');
  });
});
