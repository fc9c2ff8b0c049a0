// `npm start`: builds if needed, then opens the desktop window where the Electron runtime and a
// display exist; otherwise runs browser mode and says why. Options: see USAGE in lib/start-options.mjs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfNeeded, root } from './lib/build-if-needed.mjs';
import { findDisplayProblem, findElectronRuntime } from './lib/electron-runtime.mjs';
import { decideChromiumSandbox, parseStartOptions, USAGE } from './lib/start-options.mjs';

const options = parseStartOptions(process.argv.slice(2));
if (options.unknown.length) {
  console.error(`Unknown option ${options.unknown.join(' ')}. ${USAGE}`);
  process.exit(1);
}
const sandbox = decideChromiumSandbox({ isRoot: process.getuid?.() === 0, disableChromiumSandbox: options.disableChromiumSandbox });

buildIfNeeded();

function reasonForBrowserMode() {
  if (options.browser) return 'you asked for browser mode (--browser)';
  const runtime = findElectronRuntime();
  if (!runtime.ok) return runtime.reason;
  return findDisplayProblem() ?? sandbox.browserModeReason;
}

let browserModeStarted = false;
async function startBrowserMode(reason) {
  if (browserModeStarted) return; // a failed spawn reports both 'error' and 'close'
  browserModeStarted = true;
  console.log(`Opening Simple DB in your browser because ${reason}.`);
  // Read by the server: open the default browser on its address, unless the admin said --no-open.
  if (options.openBrowser) process.env.SIMPLE_DB_OPEN_BROWSER = '1';
  else delete process.env.SIMPLE_DB_OPEN_BROWSER;
  // Same process: Ctrl+C reaches the server directly and it shuts down in order.
  await import(pathToFileURL(path.join(root, 'out', 'main', 'server.js')).href);
}

// Keep in step with src/main/lifecycle/startup-error.ts.
const DESKTOP_READY_LINE = 'Simple DB is open in its desktop window.';
const STARTUP_FAILED_EXIT_CODE = 3;

function startDesktop(binary) {
  // Only with --disable-chromium-sandbox (which root needs): the admin's choice, said out loud.
  if (sandbox.notice) console.warn(sandbox.notice);
  const electronArgs = [...sandbox.electronArgs, root];
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
