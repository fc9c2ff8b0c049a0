import pg from 'pg';
import type { EmbeddedConnection } from './server';

/** The database Simple DB keeps its tables in on the embedded server. */
export const EMBEDDED_DATABASE = 'simple_db';

/** Creates the app's database on first start (the server only comes with `postgres`). */
export async function ensureDatabase(connection: EmbeddedConnection, name = EMBEDDED_DATABASE): Promise<void> {
  const client = new pg.Client({ ...connection, database: 'postgres', application_name: 'simple-db' });
  // Without a listener, a server-side disconnect here would crash start-up instead of failing it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
