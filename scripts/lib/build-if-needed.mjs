import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STAMP = path.join(root, 'out', '.build-stamp');
const INPUTS = [
  'src',
  'migrations',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];

function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Runs `electron-vite build` when any source is newer than the last build (or there is none). */
export function buildIfNeeded({ quiet = false } = {}) {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...INPUTS.map((input) => newestMtime(path.join(root, input))));
  if (built >= sources) return;
  if (!quiet) console.log('Building Simple DB…');
  build({ quiet });
}

/** `electron-vite build`, then the stamp that tells later starts the build is current. */
export function build({ quiet = false, verbose = false } = {}) {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: root,
    stdio: quiet ? 'pipe' : ['ignore', verbose ? 'inherit' : 'ignore', 'inherit'],
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(result.stderr ?? '');
    console.error('The build failed (see above). Fix the error, or run `npm install` if dependencies are missing.');
    process.exit(1);
  }
  fs.writeFileSync(STAMP, new Date().toISOString());
}
