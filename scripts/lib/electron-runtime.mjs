import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', 'electron');

/**
 * Where the Electron runtime is, or why it cannot be used. We read the package's own record
 * (path.txt, dist/) instead of `require('electron')`, which would try to download on the spot.
 */
export function findElectronRuntime(env = process.env) {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(path.join(electronDir, 'package.json'))) {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(electronDir, 'dist');
  const binary = executable ? path.join(distDir, executable) : null;
  if (!binary || !fs.existsSync(binary)) {
    return { ok: false, reason: 'the Electron runtime was not downloaded (no internet during npm install?)' };
  }
  return { ok: true, binary };
}

export const electronInstallScript = path.join(electronDir, 'install.js');

/** A desktop window also needs a display to show on. */
export function findDisplayProblem(env = process.env) {
  if (process.platform !== 'linux') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no graphical display (DISPLAY is not set)';
}
