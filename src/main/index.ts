import { app, BrowserWindow, dialog, safeStorage, shell } from 'electron';
import path from 'node:path';
import { startApp, type App } from './bootstrap';
import { RENDERER_URL } from './electron/app-origin';
import { forwardEvents } from './electron/event-forwarding';
import { csvFileDialogs } from './electron/file-dialogs';
import { safeStorageCipher } from './electron/secret-cipher';
import { registerIpc } from './electron/ipc';
import { registerAppScheme, serveRenderer } from './electron/protocol';
import { createMainWindow, rendererDir } from './electron/window';
import { appEventSource } from './events/source';
import { readEnvironment } from './lifecycle/environment';
import { SHUTDOWN_SIGNALS } from './lifecycle/shutdown';
import { DESKTOP_READY_LINE, STARTUP_FAILED_EXIT_CODE, startupErrorMessage } from './lifecycle/startup-error';

// Electron entry: thin wiring. Everything it wires is plain Node code shared with browser mode.
const environment = readEnvironment();
const { log, logFile } = environment;
let simpleDb: App | null = null;
// Chromium's own files (caches, local storage) in a subfolder, apart from the database's.
app.setPath('userData', path.join(environment.dataDir, 'desktop'));
registerAppScheme();

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
      simpleDb = await startApp({
        ...environment,
        scheduleBackups: true,
        desktop: { revealFile: (file) => shell.showItemInFolder(file), ...csvFileDialogs },
        // Asked only once the app is ready: safeStorage cannot tell before.
        secretCipher: safeStorageCipher(safeStorage),
      });
    } catch (error) {
      log(`start-up failed: ${(error as Error).stack ?? String(error)}`);
      const message = startupErrorMessage(error, logFile, environment.databaseUrl);
      console.error(`Simple DB could not start: ${message}`);
      dialog.showErrorBox('Simple DB could not start', message);
      // Not a desktop problem: `npm start` must not retry the same thing in browser mode.
      app.exit(STARTUP_FAILED_EXIT_CODE);
      return;
    }
    serveRenderer(rendererDir());
    registerIpc(simpleDb.dispatch);
    const window = createMainWindow();
    forwardEvents(window.webContents, appEventSource(simpleDb.services.bus, simpleDb.services.jobs, simpleDb.services.connections), RENDERER_URL);
    // `npm start` watches for this line: before it, a crash means the desktop runtime itself
    // cannot run here, and it falls back to browser mode.
    window.once('ready-to-show', () => console.log(DESKTOP_READY_LINE));
  });

  app.on('window-all-closed', () => app.quit());

  // Cancel jobs, close the pools and stop the embedded server before the process goes away, also
  // when the quit comes while they are still starting (the server runs in its own process group).
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void starting
      .then(() => simpleDb?.close())
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => app.quit());
}
