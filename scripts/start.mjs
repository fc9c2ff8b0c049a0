// `npm start`: builds if needed, then opens the desktop window where the Electron runtime and a
// display exist; otherwise runs browser mode and says why. `npm start -- --browser` forces it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';
import { findDisplayProblem, findElectronRuntime } from './lib/electron-runtime.mjs';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--browser');
if (unknown.length) {
  console.error(`Unknown option ${unknown.join(' ')}. Usage: npm start [-- --browser]`);
  process.exit(1);
}

buildIfNeeded();

function reasonForBrowserMode() {
  if (args.includes('--browser')) return 'you asked for browser mode (--browser)';
  const runtime = findElectronRuntime();
  if (!runtime.ok) return runtime.reason;
  return findDisplayProblem();
}

let browserModeStarted = false;
async function startBrowserMode(reason) {
  if (browserModeStarted) return; // a failed spawn reports both 'error' and 'close'
  browserModeStarted = true;
  console.log(`Opening Simple DB in your browser because ${reason}.`);
  // Same process: Ctrl+C reaches the server directly and it shuts down in order.
  await import(pathToFileURL(path.join(root, 'out', 'main', 'server.js')).href);
}

// Keep in step with src/main/lifecycle/startup-error.ts.
const DESKTOP_READY_LINE = 'Simple DB is open in its desktop window.';
const STARTUP_FAILED_EXIT_CODE = 3;

function startDesktop(binary) {
  const electronArgs = [root];
  // Chromium will not start as root without this; the page keeps its own sandbox settings.
  if (process.getuid?.() === 0) {
    console.warn('Running as root: starting Electron with --no-sandbox. Run Simple DB as an ordinary user to keep the OS sandbox.');
    electronArgs.push('--no-sandbox');
  }
  const child = spawn(binary, electronArgs, { stdio: ['inherit', 'pipe', 'inherit'], cwd: root });
  let windowOpened = false;
  let interrupted = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes(DESKTOP_READY_LINE)) windowOpened = true;
  });
  // Ctrl+C reaches Electron too (same process group); wait for it to close the app in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      interrupted = true;
      child.kill(signal);
    });
  }
  // 'close', not 'exit': by then all of its output has been read, the ready line included.
  child.on('close', (code, signal) => {
    const desktopBroke = !windowOpened && !interrupted && code !== 0 && code !== STARTUP_FAILED_EXIT_CODE;
    if (!desktopBroke) process.exit(code ?? (signal ? 1 : 0));
    void startBrowserMode(`the desktop app could not start here (${signal ?? `exit code ${code}`}; see its messages above)`);
  });
  child.on('error', (error) => {
    if (!interrupted) void startBrowserMode(`the desktop app could not be run (${error.code ?? error.message})`);
  });
}

const reason = reasonForBrowserMode();
if (reason) await startBrowserMode(reason);
else startDesktop(findElectronRuntime().binary);
