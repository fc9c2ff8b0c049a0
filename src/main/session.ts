import { openDatabase, type Database } from './db/connect';
import { parseDatabaseUrl, type ConnectionTarget } from './db/target';
import { EMBEDDED_DATABASE, ensureDatabase } from './embedded/database';
import { EmbeddedServer } from './embedded/server';
import type { Logger } from './log/logger';

export interface SessionOptions {
  /** Simple DB's data directory (embedded cluster, credentials, logs). */
  dataDir: string;
  /** DATABASE_URL, when set, replaces the embedded server. */
  databaseUrl?: string | undefined;
  log: Logger;
}

/** An open connection to the chosen database, and the embedded server behind it, if any. */
export interface Session {
  target: ConnectionTarget;
  db: Database;
  embedded: EmbeddedServer | null;
  /** Closes the pool, then stops the embedded server; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Picks the database (DATABASE_URL, else the embedded server, started here) and opens one pool on
 * it. The app and the migrate CLI both start here, so they choose and clean up the same way: if
 * anything fails half-way, what was already started is stopped again.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const { log } = options;
  let embedded: EmbeddedServer | null = null;
  let target: ConnectionTarget;
  if (options.databaseUrl) {
    target = parseDatabaseUrl(options.databaseUrl);
  } else {
    embedded = await EmbeddedServer.start({ dataDir: options.dataDir, log });
    try {
      await ensureDatabase(embedded.connection);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    target = { kind: 'embedded', ...embedded.connection, database: EMBEDDED_DATABASE };
  }
  const db = openDatabase(target, log);
  let closing: Promise<void> | null = null;
  return {
    target,
    db,
    embedded,
    close: () =>
      (closing ??= (async () => {
        await db.close().catch((error: Error) => log(`closing the pool failed: ${error.message}`));
        await embedded?.stop();
      })()),
  };
}
