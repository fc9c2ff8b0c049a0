import pg from 'pg';
import { Sequelize } from 'sequelize';
import { inject } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import { createMigrator } from '../../src/main/db/migrations';
import type { EmbeddedConnection } from '../../src/main/embedded/server';
import { bigDataStatements } from './big-data-sql';

export { BIG_PRODUCTS, BIG_USERS, bigDataStatements } from './big-data-sql';

/** The last migration that only creates tables: data goes in before the list indexes are built (far faster than row by row). */
const TABLES_MIGRATION = '2026.11.24T00.00.02.create-products';

function serverConnection(): EmbeddedConnection {
  return inject('postgres');
}

/** The big database's name, as the global set-up provides it. */
export function bigDatabaseName(): string {
  return inject('bigUsersDatabase');
}

function databaseUrl(database: string): string {
  const { user, password, host, port } = serverConnection();
  return `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

const READY = 'simple-db test data: ready';

/**
 * Makes sure the big database exists, filled, migrated and analysed: built by whichever test file
 * (or benchmark) asks first in this run, under an advisory lock, so files running in parallel wait
 * for one build instead of racing it. Only runs that use it pay for it. Returns its name.
 */
export async function ensureBigDatabase(): Promise<string> {
  const name = bigDatabaseName();
  const admin = new pg.Client({ ...serverConnection(), database: 'postgres' });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`simple-db-test:${name}`]);
    const { rows } = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows[0]?.comment === READY) return name;
    // A build interrupted earlier in this run (a killed worker) is started over.
    if (rows[0]) await admin.query(`DROP DATABASE ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    // Building the trigram indexes over a million rows is much faster with room to sort in.
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} SET maintenance_work_mem = '256MB'`);
    await buildBigDatabase(name);
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} RESET maintenance_work_mem`);
    await admin.query(`COMMENT ON DATABASE ${admin.escapeIdentifier(name)} IS '${READY}'`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await admin.end();
  }
}

async function buildBigDatabase(name: string): Promise<void> {
  const sequelize = new Sequelize(databaseUrl(name), { dialect: 'postgres', logging: false });
  try {
    // The tables first, then the rows, then the list indexes in one go (the project's migrator,
    // default in-transaction path), as an admin upgrading a full database would.
    const migrator = createMigrator(sequelize);
    await migrator.up({ to: TABLES_MIGRATION });
    for (const statement of bigDataStatements()) await sequelize.query(statement);
    await migrator.up();
  } finally {
    await sequelize.close();
  }
  const client = new pg.Client({ ...serverConnection(), database: name });
  await client.connect();
  try {
    // Statistics for the planner and the position jumps; the visibility map for index-only counts.
    await client.query('VACUUM ANALYZE users, products');
  } finally {
    await client.end();
  }
}

/** The backend on the big database (already migrated: never run migrations.up on it), and a raw client for reference queries. */
export async function bigBackend(): Promise<{ backend: Backend; database: string; client: pg.Client }> {
  const database = await ensureBigDatabase();
  const backend = await startApp({
    dataDir: '/nonexistent',
    databaseUrl: databaseUrl(database),
    version: 'test',
    log: process.env.DEBUG_LOG ? (m) => console.error(m) : () => {},
  });
  const client = new pg.Client({ ...serverConnection(), database });
  await client.connect();
  return { backend, database, client };
}
