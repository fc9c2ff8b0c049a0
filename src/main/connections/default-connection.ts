import { parseDatabaseUrl } from '../db/target';
import { ensureAppDatabase } from '../embedded/database';
import { EmbeddedServer } from '../embedded/server';
import type { Logger } from '../log/logger';
import type { Connection } from './connection';
import type { ConnectionManager } from './manager';

/** The ids of the connections Simple DB knows without a profile. */
export const EMBEDDED_CONNECTION_ID = 'embedded';
export const DATABASE_URL_CONNECTION_ID = 'database-url';

/** Starts the embedded server and opens the app's database on it. If anything fails half-way, the server is stopped again. */
export async function openEmbeddedConnection(manager: ConnectionManager, options: { dataDir: string; log: Logger }): Promise<Connection> {
  const embedded = await EmbeddedServer.start({ dataDir: options.dataDir, log: options.log });
  try {
    // The app works as a role without superuser rights; the superuser only sets that role up.
    const app = await ensureAppDatabase(embedded.connection, options.dataDir);
    return manager.open(EMBEDDED_CONNECTION_ID, { kind: 'embedded', ...app }, { embedded });
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

export function openDatabaseUrlConnection(manager: ConnectionManager, databaseUrl: string): Connection {
  return manager.open(DATABASE_URL_CONNECTION_ID, { ...parseDatabaseUrl(databaseUrl), settingsIn: 'DATABASE_URL' });
}
