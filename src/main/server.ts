import path from 'node:path';
import { startApp, type App } from './bootstrap';
import { describeTarget } from './db/target';
import { appEventSource } from './events/source';
import { startBrowserModeServer, type BrowserModeServer } from './http/server';
import { readEnvironment } from './lifecycle/environment';
import { openInBrowser } from './lifecycle/open-browser';
import { onShutdownSignal } from './lifecycle/shutdown';
import { transferUploads } from './transfer/uploads';
import { startupErrorMessage } from './lifecycle/startup-error';

/** Browser-mode entry: the same app as the desktop, served over loopback HTTP. Thin wiring only. */
async function main(): Promise<void> {
  const environment = readEnvironment();
  const { log, logFile } = environment;
  log(`starting Simple DB ${environment.version} in browser mode`);

  let app: App | undefined;
  let web: BrowserModeServer | undefined;
  const startup = (async () => {
    app = await startApp({ ...environment, scheduleBackups: true });
    const { downloads, transfer } = app.services;
    // Uploads a crashed run left behind (a handle lives an hour; nothing names them any more).
    await transfer.removeStaleUploads();
    web = await startBrowserModeServer({
      dispatch: app.dispatch,
      download: (ticket) => downloads.take(ticket),
      uploads: transferUploads(transfer),
      events: appEventSource(app.services.bus, app.services.jobs, app.services.connections),
      staticDir: path.join(__dirname, '../renderer'),
      port: Number(process.env.SIMPLE_DB_PORT ?? 0),
    });
  })();
  // Registered before anything starts: Ctrl+C during start-up waits for it to settle, then stops
  // whatever did start (the embedded server runs in its own process group and never sees Ctrl+C).
  onShutdownSignal(async () => {
    await startup.catch(() => undefined);
    await web?.close();
    await app?.close();
  });

  try {
    await startup;
  } catch (error) {
    log(`start-up failed: ${(error as Error).stack ?? String(error)}`);
    console.error(`Simple DB could not start: ${startupErrorMessage(error, logFile, environment.databaseUrl)}`);
    await app?.close();
    process.exit(1);
  }
  const { target, embedded } = app!.defaultConnection;
  console.log(
    embedded
      ? `Database: the embedded PostgreSQL ${embedded.version} (data in ${environment.dataDir}).`
      : `Database: ${describeTarget(target)} as ${target.user} (from DATABASE_URL).`,
  );
  console.log(`Simple DB is running at ${web!.url}`);
  if (process.env.SIMPLE_DB_OPEN_BROWSER === '1' && (await openInBrowser(web!.launchUrl()))) {
    console.log('Opened it in your default browser.');
  }
  console.log(`Press Ctrl+C to stop it${embedded ? ' (the embedded PostgreSQL stops with it)' : ''}.`);
}

void main();
