import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
const electronDir = path.join(repoRoot, 'node_modules', 'electron');

export type ElectronRuntime = { ok: true; binary: string } | { ok: false; reason: string };

/**
 * Whether the Electron smoke test can run here, and why not. Mirrors
 * scripts/lib/electron-runtime.mjs: read the package's own record (path.txt, dist/) instead of
 * `require('electron')`, which would try to download the runtime on the spot.
 */
export function findElectronRuntime(env: NodeJS.ProcessEnv = process.env): ElectronRuntime {
  if (!fs.existsSync(path.join(electronDir, 'package.json'))) {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(electronDir, 'dist');
  const binary = executable ? path.join(distDir, executable) : null;
  if (!binary || !fs.existsSync(binary)) {
    return { ok: false, reason: 'the Electron runtime was not downloaded (node_modules/electron/dist is missing; no internet during npm install?)' };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no graphical display (DISPLAY is not set; try xvfb-run)' };
  }
  return { ok: true, binary };
}
