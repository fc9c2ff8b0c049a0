import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { version } from '../../package.json';
import { startBackend, type Backend } from './backend';
import { appDataDir, logFilePath } from './config/paths';
import { registerIpc } from './electron/ipc';
import { createMainWindow } from './electron/window';
import { DESKTOP_READY_LINE, STARTUP_FAILED_EXIT_CODE, startupErrorMessage } from './lifecycle/startup-error';
import { fileLogger } from './log/logger';

// Electron entry: thin wiring. Everything it wires is plain Node code shared with browser mode.
const dataDir = appDataDir();
const logFile = logFilePath(dataDir);
const log = fileLogger(logFile);
let backend: Backend | null = null;
// Chromium's own files (caches, local storage) in a subfolder, apart from the database's.
app.setPath('userData', path.join(dataDir, 'desktop'));

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the first window instead of fighting over the embedded database.
  console.log('Simple DB is already open: switching to its window.');
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  const starting = app.whenReady().then(async () => {
    try {
      backend = await startBackend({ dataDir, databaseUrl: process.env.DATABASE_URL, version, log, logFile });
    } catch (error) {
      log(`start-up failed: ${(error as Error).stack ?? String(error)}`);
      const message = startupErrorMessage(error, logFile);
      console.error(`Simple DB could not start: ${message}`);
      dialog.showErrorBox('Simple DB could not start', message);
      // Not a desktop problem: `npm start` must not retry the same thing in browser mode.
      app.exit(STARTUP_FAILED_EXIT_CODE);
      return;
    }
    registerIpc(backend.dispatch);
    // `npm start` watches for this line: before it, a crash means the desktop runtime itself
    // cannot run here, and it falls back to browser mode.
    createMainWindow().once('ready-to-show', () => console.log(DESKTOP_READY_LINE));
  });

  app.on('window-all-closed', () => app.quit());

  // Close the pool and stop the embedded server before the process goes away, also when the quit
  // comes while they are still starting (the server runs in its own process group).
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void starting
      .then(() => backend?.close())
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => app.quit());
}
