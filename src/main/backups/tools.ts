import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';
import { runToCompletion } from '../process/runner';

// Finding the PostgreSQL client tools (pg_dump, pg_restore, psql) and choosing the one that fits a
// server. pg_dump refuses a server newer than itself ("server version mismatch", the classic
// pgAdmin complaint when it picked an older pg_dump), while a newer pg_dump dumps older servers
// fine: so we want the same major, else the nearest newer one, never an older one.

export type ToolName = 'pg_dump' | 'pg_restore' | 'psql';

export const TOOL_NAMES: readonly ToolName[] = ['pg_dump', 'pg_restore', 'psql'];

export interface InstalledTool {
  name: ToolName;
  path: string;
  /** As the tool prints it: '15.18', '17.2', '18beta1'. */
  version: string;
  /** 15 for 15.18; before PostgreSQL 10 the major had two parts, so 9.6.24 gives 9.6. */
  major: number;
  /** Where it was found: an admin-chosen path in Settings, a PATH entry, or a well-known install folder. */
  source: 'setting' | 'path' | 'folder';
}

const VERSION_TIMEOUT_MS = 5000;

// `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`, `psql (PostgreSQL) 17.2`, `pg_restore (PostgreSQL) 18beta1`.
const VERSION_LINE = /^(\S+) \(PostgreSQL\) (\d+)(?:\.(\d+))?(?:\.\d+)?(?:(?:alpha|beta|rc|devel)\d*)?(?=\s|$)/;

/** Parses `--version` output of `name`; null when it is not that tool (another program, or another PostgreSQL tool). */
export function parseVersionOutput(name: ToolName, output: string): { version: string; major: number } | null {
  for (const line of output.split(/\r?\n/)) {
    const match = VERSION_LINE.exec(line.trim());
    if (!match) continue;
    // Windows builds strip `.exe` from their name, but accept it should one not.
    const [token, program, first, second] = match;
    if (program !== name && program !== `${name}.exe`) return null;
    const version = token.slice(token.indexOf(') ') + 2);
    return { version, major: majorOf(Number(first), second) };
  }
  return null;
}

/** Before 10 the major was the first two numbers (9.6); since 10 it is the first one. */
function majorOf(first: number, second: string | undefined): number {
  return first < 10 && second !== undefined ? Number(`${first}.${second}`) : first;
}

/**
 * Runs `<file> --version` and checks that `file` is `name`. Throws VALIDATION (field 'path') when
 * it is missing, not a program, or another program: this is how an admin's Settings path is checked.
 */
export async function readToolVersion(name: ToolName, file: string, source: InstalledTool['source'] = 'setting'): Promise<InstalledTool> {
  const invalid = (why: string, cause?: unknown) => new AppError('VALIDATION', `${file} ${why}`, { field: 'path', cause });
  // A bare name would be looked up in PATH by spawn: a setting must say exactly which file it means.
  if (!path.isAbsolute(file)) throw invalid(`is not a full path: give the full path of ${name}.`);
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' || error.code === 'ENOTDIR'
      ? invalid('does not exist.', error)
      : invalid(`cannot be read (${error.code ?? error.message}).`, error);
  });
  if (stat.isDirectory()) throw invalid(`is a folder, not ${name}.`);

  const output = await versionOutput(file).catch((error: unknown) => {
    throw invalid(`could not be run as ${name}: ${runFailure(error)}.`, error);
  });
  const parsed = parseVersionOutput(name, output.join('\n'));
  if (!parsed) {
    const said = output.find((line) => line.trim() !== '')?.trim();
    throw invalid(`is not ${name}: asked for its version, it ${said ? `said “${said.slice(0, 200)}”` : 'printed nothing'}.`);
  }
  return { name, path: file, ...parsed, source };
}

/** The stdout lines of `<file> --version`, in the C locale so the words are not translated. */
async function versionOutput(file: string): Promise<string[]> {
  const lines: string[] = [];
  await runToCompletion({
    command: file,
    args: ['--version'],
    env: { LC_ALL: 'C' },
    signal: AbortSignal.timeout(VERSION_TIMEOUT_MS),
    // A program that ignores --version and hangs is not a client tool: no need to wait long for it to stop.
    graceMs: 1000,
    onStdoutLine: (line) => lines.push(line),
  });
  return lines;
}

function runFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'AbortError') return `it did not answer --version within ${VERSION_TIMEOUT_MS / 1000} s`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES') return 'it is not executable';
  if (code === 'ENOEXEC' || code === 'ENOENT') return 'it is not a program this system can start';
  return error instanceof Error ? error.message : String(error);
}

interface FolderOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Prefix of every folder looked at, for tests; default ''. */
  root?: string;
}

/**
 * Where installers put the client tools, for when they are not in PATH (a desktop app started from
 * the Dock or a .desktop file gets a short PATH; Debian and RHEL keep each major in its own folder).
 * In preference order; folders that do not exist are left out.
 */
export async function candidateFolders(options: FolderOptions = {}): Promise<string[]> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const root = options.root ?? '';
  const under = (folder: string) => (root ? path.join(root, folder) : folder);

  let folders: string[];
  if (platform === 'win32') folders = await windowsFolders(env, under);
  else if (platform === 'darwin') folders = await macFolders(under);
  else folders = await unixFolders(under);
  return existingFolders(folders);
}

type Under = (folder: string) => string;

async function unixFolders(under: Under): Promise<string[]> {
  return [
    // Debian and Ubuntu: postgresql-client-<N>.
    ...(await versionFolders(under('/usr/lib/postgresql'), /^(\d+(?:\.\d+)?)$/, 'bin')),
    // RHEL, Rocky, Alma, Fedora with the PGDG repository: postgresql<N>.
    ...(await versionFolders(under('/usr'), /^pgsql-(\d+(?:\.\d+)?)$/, 'bin')),
    // Built from source with the default prefix.
    under('/usr/local/pgsql/bin'),
    ...(await versionFolders(under('/opt'), /^postgresql(.*)$/, 'bin')),
  ];
}

async function macFolders(under: Under): Promise<string[]> {
  return [
    under('/opt/homebrew/bin'),
    // Homebrew's versioned formulae and libpq are keg-only: never linked into bin/.
    ...(await homebrewKegs(under('/opt/homebrew/opt'))),
    under('/usr/local/bin'),
    ...(await homebrewKegs(under('/usr/local/opt'))),
    ...(await versionFolders(under('/Applications/Postgres.app/Contents/Versions'), /^(.+)$/, 'bin')),
    // The EDB installer.
    ...(await versionFolders(under('/Library/PostgreSQL'), /^(\d+(?:\.\d+)?)$/, 'bin')),
  ];
}

async function homebrewKegs(opt: string): Promise<string[]> {
  return [...(await versionFolders(opt, /^postgresql@(\d+(?:\.\d+)?)$/, 'bin')), path.join(opt, 'libpq', 'bin')];
}

async function windowsFolders(env: NodeJS.ProcessEnv, under: Under): Promise<string[]> {
  const folders: string[] = [];
  // The EDB installer: %ProgramFiles%\PostgreSQL\<N>\bin, or a per-user install under %LOCALAPPDATA%.
  const localAppData = envValue(env, 'LOCALAPPDATA');
  const parents = [envValue(env, 'ProgramFiles'), envValue(env, 'ProgramFiles(x86)'), localAppData && path.join(localAppData, 'Programs')];
  for (const parent of parents) {
    if (parent) folders.push(...(await versionFolders(under(path.join(parent, 'PostgreSQL')), /^(\d+(?:\.\d+)?)$/, 'bin')));
  }
  return folders;
}

/** Windows environment names ignore case; a plain object passed in (tests, a copied env) does not. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key] || undefined;
}

/** `<parent>/<entry>/<bin>` for each entry matching `pattern`, newest version first (entries without a number, like Postgres.app's `latest`, last). */
async function versionFolders(parent: string, pattern: RegExp, bin: string): Promise<string[]> {
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  return entries
    .map((entry) => ({ entry, key: versionKey(pattern.exec(entry)?.[1]) }))
    .filter((item): item is { entry: string; key: number[] } => item.key !== null)
    .sort((a, b) => compareParts(b.key, a.key))
    .map(({ entry }) => path.join(parent, entry, bin));
}

/** The numbers of a version-like text ('17', '9.6', '-16'); [] when it has none; null when it did not match at all. */
function versionKey(text: string | undefined): number[] | null {
  if (text === undefined) return null;
  return (/\d+(?:\.\d+)*/.exec(text)?.[0] ?? '').split('.').filter(Boolean).map(Number);
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

async function existingFolders(folders: readonly string[]): Promise<string[]> {
  const exists = await Promise.all(
    folders.map((folder) =>
      fs.stat(folder).then(
        (stat) => stat.isDirectory(),
        () => false,
      ),
    ),
  );
  return [...new Set(folders.filter((_, i) => exists[i]))];
}

interface DiscoverOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  names?: readonly ToolName[];
  /** Looked at after PATH and the well-known folders. */
  extraFolders?: readonly string[];
}

interface Candidate {
  name: ToolName;
  path: string;
  source: InstalledTool['source'];
}

/**
 * Every installed copy of `names`: PATH first, then the well-known folders, then `extraFolders`.
 * The same file reached twice (a symlink, a folder listed twice) counts once, where first found;
 * files that are not the tool they are named after are skipped.
 */
export async function discoverTools(options: DiscoverOptions = {}): Promise<InstalledTool[]> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const folders = [
    ...pathFolders(env, platform).map((folder) => ({ folder, source: 'path' as const })),
    ...(await candidateFolders({ platform, env })).map((folder) => ({ folder, source: 'folder' as const })),
    ...(options.extraFolders ?? []).map((folder) => ({ folder, source: 'folder' as const })),
  ];
  const candidates = await distinctFiles(folders, options.names ?? TOOL_NAMES, platform === 'win32' ? '.exe' : '');
  const tools = await Promise.all(candidates.map((candidate) => readToolVersion(candidate.name, candidate.path, candidate.source).catch(() => null)));
  return tools.filter((tool): tool is InstalledTool => tool !== null);
}

/** The folders of PATH. Empty and relative entries mean "the current folder": never run a tool from there. */
function pathFolders(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const value = platform === 'win32' ? envValue(env, 'PATH') : env.PATH;
  return (value ?? '')
    .split(platform === 'win32' ? ';' : ':')
    .map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'))
    .filter((entry) => entry !== '' && path.isAbsolute(entry));
}

/**
 * The tool files in `folders`, in order, each real file once per name. The key includes the name:
 * Debian's /usr/bin/pg_dump and /usr/bin/pg_restore are both links to one wrapper script.
 */
async function distinctFiles(folders: readonly { folder: string; source: Candidate['source'] }[], names: readonly ToolName[], suffix: string) {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const { folder, source } of folders) {
    for (const name of names) {
      const file = path.join(folder, `${name}${suffix}`);
      const real = await fs.realpath(file).catch(() => null);
      if (real === null || seen.has(`${name}\0${real}`)) continue;
      seen.add(`${name}\0${real}`);
      candidates.push({ name, path: file, source });
    }
  }
  return candidates;
}

/** The major version in a version text ('15.18', '17.2 (Debian …)', '18beta1'); null when there is none. */
export function majorOfVersion(version: string | null | undefined): number | null {
  const match = version ? /^(\d+)/.exec(version.trim()) : null;
  return match ? Number(match[1]) : null;
}

/**
 * The tool to use against a server of `serverMajor` (for pg_restore and psql: the minimum major the
 * file needs, which callers compute). An admin's setting wins if it is new enough; then the same
 * major; then the nearest newer one; ties go to the first found.
 */
export function pickTool(
  tools: readonly InstalledTool[],
  name: ToolName,
  serverMajor: number,
  platform: NodeJS.Platform = process.platform,
): InstalledTool {
  const named = tools.filter((tool) => tool.name === name);
  if (named.length === 0) {
    throw new AppError(
      'TOOL_MISSING',
      `No ${name} was found. Install the PostgreSQL ${serverMajor} client tools: ${installHint(serverMajor, platform)}, or set its path in Settings.`,
    );
  }
  const fitting = named.filter((tool) => tool.major >= serverMajor);
  const chosen =
    fitting.find((tool) => tool.source === 'setting') ??
    fitting.find((tool) => tool.major === serverMajor) ??
    fitting.reduce<InstalledTool | undefined>((best, tool) => (best === undefined || tool.major < best.major ? tool : best), undefined);
  if (chosen) return chosen;

  const newest = named.reduce((best, tool) => (compareParts(versionNumbers(tool.version), versionNumbers(best.version)) > 0 ? tool : best));
  throw new AppError(
    'TOOL_VERSION',
    `The server runs PostgreSQL ${serverMajor}, but the newest ${name} here is ${newest.version} (${newest.path}): ` +
      `${name} must be version ${serverMajor} or newer. Install the PostgreSQL ${serverMajor} client tools: ${installHint(serverMajor, platform)}, ` +
      `or set the path of a newer ${name} in Settings.`,
  );
}

/** '15.18' → [15, 18]; a pre-release ('18beta1') counts as before its release ([18] < [18, 0]). */
function versionNumbers(version: string): number[] {
  return (version.split(/[a-z]/i)[0] ?? '').split('.').filter(Boolean).map(Number);
}

/** How to install the client tools of `major` on this OS, as a phrase to follow "Install …:". */
export function installHint(major: number, platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'linux':
      // We cannot tell the distribution's release from here, and older releases lack newer majors.
      return (
        `on Debian or Ubuntu \`sudo apt-get install postgresql-client-${major}\` (if your release has no version ${major}, ` +
        `add the PostgreSQL apt repository first: https://wiki.postgresql.org/wiki/Apt), ` +
        `on RHEL or Fedora \`sudo dnf install postgresql${major}\` (from the PostgreSQL yum repository: https://www.postgresql.org/download/linux/redhat/)`
      );
    case 'darwin':
      return `\`brew install postgresql@${major}\` (or Postgres.app from https://postgresapp.com)`;
    case 'win32':
      return `run the EDB installer from https://www.postgresql.org/download/windows/ and select its "Command Line Tools"`;
    default:
      return `install the PostgreSQL ${major} client package of your system (see https://www.postgresql.org/download/)`;
  }
}
