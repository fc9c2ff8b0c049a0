import path from 'node:path';
import { version } from '../../package.json';
import { startBackend, type Backend } from './backend';
import { appDataDir, logFilePath } from './config/paths';
import { startBrowserModeServer, type BrowserModeServer } from './http/server';
import { onShutdownSignal } from './lifecycle/shutdown';
import { startupErrorMessage } from './lifecycle/startup-error';
import { fileLogger } from './log/logger';

/** Browser-mode entry: the same backend as the desktop app, served over loopback HTTP. */
async function main(): Promise<void> {
  const dataDir = appDataDir();
  const logFile = logFilePath(dataDir);
  const log = fileLogger(logFile);
  const port = Number(process.env.SIMPLE_DB_PORT ?? 0);
  log(`starting Simple DB ${version} in browser mode`);

  let backend: Backend | undefined;
  let web: BrowserModeServer | undefined;
  const startup = (async () => {
    backend = await startBackend({ dataDir, databaseUrl: process.env.DATABASE_URL, version, log, logFile });
    web = await startBrowserModeServer({ dispatch: backend.dispatch, staticDir: path.join(__dirname, '../renderer'), port });
  })();
  // Registered before anything starts: Ctrl+C during start-up waits for it to settle, then stops
  // whatever did start (the embedded server runs in its own process group and never sees Ctrl+C).
  onShutdownSignal(async () => {
    await startup.catch(() => undefined);
    await web?.close();
    await backend?.close();
  });

  try {
    await startup;
  } catch (error) {
    log(`start-up failed: ${(error as Error).stack ?? String(error)}`);
    console.error(`Simple DB could not start: ${startupErrorMessage(error, logFile)}`);
    await backend?.close();
    process.exit(1);
  }
  console.log(`Simple DB is running at ${web!.url}`);
  console.log('Press Ctrl+C to stop it (the embedded PostgreSQL stops with it).');
}

void main();
