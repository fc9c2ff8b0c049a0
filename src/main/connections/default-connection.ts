import { parseDatabaseUrl } from '../db/target';
import { ensureAppDatabase } from '../embedded/database';
import { EmbeddedServer } from '../embedded/server';
import type { Logger } from '../log/logger';
import type { Connection } from './connection';
import type { ConnectionManager } from './manager';

/** The ids of the connections Simple DB opens by itself. */
const EMBEDDED_CONNECTION_ID = 'embedded';
const DATABASE_URL_CONNECTION_ID = 'database-url';

/**
 * Opens the connection the app starts on: DATABASE_URL when set, else the embedded server
 * (started here). If anything fails half-way, what was already started is stopped again.
 */
export async function openDefaultConnection(
  manager: ConnectionManager,
  options: { dataDir: string; databaseUrl?: string | undefined; log: Logger },
): Promise<Connection> {
  if (options.databaseUrl) return manager.open(DATABASE_URL_CONNECTION_ID, parseDatabaseUrl(options.databaseUrl));
  const embedded = await EmbeddedServer.start({ dataDir: options.dataDir, log: options.log });
  try {
    // The app works as a role without superuser rights; the superuser only sets that role up.
    const app = await ensureAppDatabase(embedded.connection, options.dataDir);
    return manager.open(EMBEDDED_CONNECTION_ID, { kind: 'embedded', ...app }, embedded);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
