import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { applyMigrations, call, serverConnection } from '../support/database';

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

  it('a new embedded cluster classifies letters beyond ASCII as letters: searches fold their case and can use the trigram index', async () => {
    const backend = await backendOn('');
    await applyMigrations(backend);
    const { sequelize } = backend.services.connections.active().db;
    await sequelize.query("INSERT INTO users (email, name) VALUES ('jorg@example.com', 'Jörg Müller'), ('ivan@example.com', 'Иван Петров')");
    const [[trigrams]] = (await sequelize.query("SELECT cardinality(show_trgm('Иван')) AS n")) as [Array<{ n: number }>, unknown];
    expect(trigrams!.n).toBeGreaterThan(0);
    const found = await call<{ rows: Array<{ name: string }> }>(backend, 'users.list', { search: 'JÖRG' });
    expect(found.rows.map((row) => row.name)).toEqual(['Jörg Müller']);
  });

  it('on a database whose lc_ctype is C, a search of letters beyond ASCII on a big table says why it is slow', async () => {
    const backend = await backendOn("TEMPLATE template0 LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C'");
    await applyMigrations(backend);
    const { sequelize } = backend.services.connections.active().db;
    await sequelize.query("INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'Иван ' || g FROM generate_series(1, 12000) g");
    await sequelize.query('ANALYZE users');
    const page = await call<{ searchNote: string | null }>(backend, 'users.list', { search: 'Иван' });
    expect(page.searchNote).toMatch(/classifies characters as C \(lc_ctype\).*cannot use the search index/);
    // An ASCII search there uses the index as usual: no note.
    expect((await call<{ searchNote: string | null }>(backend, 'users.list', { search: 'example' })).searchNote).toBeNull();
  });
});
