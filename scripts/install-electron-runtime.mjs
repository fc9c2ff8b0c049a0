// Root postinstall. The electron package downloads its runtime (from Electron's own server, not
// the npm registry) only when first required, which would be in the middle of `npm start`. We run
// its installer here instead: where there is internet the runtime arrives with `npm install`;
// offline it fails in under a second and we print a one-line notice, never a failed install.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { electronInstallScript, findElectronRuntime } from './lib/electron-runtime.mjs';

const FALLBACK = '`npm start` will open Simple DB in your browser instead';

function notice(why) {
  console.log(`Electron runtime not downloaded: ${why}; ${FALLBACK}.`);
  process.exit(0);
}

function firstUsefulLine(output) {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(l));
  if (!line) return 'its download did not succeed';
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH/i.test(output)) return 'no internet connection to the download server';
  return line.replace(/^\w*Error:\s*/, '').slice(0, 200);
}

// electron not installed (e.g. --omit=dev): nothing to do, browser mode only.
if (!fs.existsSync(electronInstallScript)) process.exit(0);

if (findElectronRuntime().ok) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) notice('ELECTRON_SKIP_BINARY_DOWNLOAD is set');

const child = spawn(process.execPath, [electronInstallScript], { stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));
// A real download is ~100 MB; give it time, but never hang an install forever.
const timer = setTimeout(() => child.kill(), 10 * 60 * 1000);
child.on('close', (code) => {
  clearTimeout(timer);
  if (code === 0 && findElectronRuntime().ok) {
    console.log('Electron runtime installed: `npm start` opens the desktop app.');
    process.exit(0);
  }
  notice(code === null ? 'the download timed out' : firstUsefulLine(output));
});
