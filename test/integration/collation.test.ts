import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { call, serverConnection } from '../support/database';

const backends: Backend[] = [];
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

/** A database on the shared test server, created with `options`, and a backend on it. */
async function backendOn(options: string): Promise<Backend> {
  const connection = serverConnection();
  const name = `coll_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} ${options}`);
  } finally {
    await admin.end();
  }
  const url = `postgresql://${connection.user}:${encodeURIComponent(connection.password)}@${connection.host}:${connection.port}/${name}`;
  const backend = await startApp({ dataDir: '/nonexistent', databaseUrl: url, version: 'test', log: () => {} });
  backends.push(backend);
  return backend;
}

async function sortedNames(backend: Backend): Promise<string[]> {
  await backend.services.connections
    .active()
    .db.sequelize.query("CREATE TABLE words (w varchar); INSERT INTO words VALUES ('bob'), ('Adam'), ('adam'), ('Émile'), ('Zoe'), ('ed')");
  const [rows] = await backend.services.connections.active().db.sequelize.query('SELECT w FROM words ORDER BY w');
  return (rows as Array<{ w: string }>).map((row) => row.w);
}

describe('text order (collation)', () => {
  it('a new embedded cluster sorts names as people expect (ICU), and the About panel says so', async () => {
    // The shared test server is a new cluster made by our own EmbeddedServer, so its template is the one new clusters get.
    const backend = await backendOn('');
    const info = await call<{ database: { collation: string } }>(backend, 'app.info');
    expect(info.database.collation).toBe('ICU (und)');
    expect(await sortedNames(backend)).toEqual(['adam', 'Adam', 'bob', 'ed', 'Émile', 'Zoe']);
  });

  it('a database that sorts by byte value keeps it, and is named as such', async () => {
    const backend = await backendOn("TEMPLATE template0 LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C'");
    const info = await call<{ database: { collation: string } }>(backend, 'app.info');
    expect(info.database.collation).toBe('libc (C)');
    expect(await sortedNames(backend)).toEqual(['Adam', 'Zoe', 'adam', 'bob', 'ed', 'Émile']);
  });
});
