// Root postinstall. Electron's own install step downloads the runtime from outside the npm
// registry; npm 11 blocks dependencies' install scripts (package.json denies electron's in
// allowScripts), so we run it here instead, where a failure (no internet) is a one-line notice
// rather than a failed `npm install`. Where the runtime arrives, `npm start` opens the desktop app.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { electronInstallScript, findElectronRuntime } from './lib/electron-runtime.mjs';

const FALLBACK = '`npm start` will open Simple DB in your browser instead';

function notice(why) {
  console.log(`Electron runtime not downloaded: ${why}; ${FALLBACK}.`);
  process.exit(0);
}

function firstUsefulLine(output) {
  const line = output.split('\n').map((l) => l.trim()).find((l) => /error|failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(l));
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
