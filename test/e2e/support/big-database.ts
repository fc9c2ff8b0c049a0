import type { APIRequestContext } from '@playwright/test';
import { BIG_USERS, bigDataStatements } from '../../support/big-data-sql';
import { embeddedConnection, withDatabase } from './database';
import { callApi, migrateUp, serverAddress } from './server';

/** The size (the integration tests' too); the specs' expectations follow it. */
export { BIG_USERS };

/** The saved connection the big database is reached through, as an admin would add one. */
export const BIG_PROFILE = 'E2E: a million users';
/** On the run's embedded server, beside Simple DB's own database (which the other tests share). */
export const BIG_DATABASE = 'e2e_big_users';

/** The migration that builds the list indexes: rolled back while the rows go in, applied after. */
const LIST_INDEXES_MIGRATION = '2026.11.29T00.00.03.add-list-indexes';
/** Set on the database once it is complete, so a second spec in the same run reuses it. */
const READY = 'simple-db e2e: big database ready';
/** Filling a million rows and building their indexes on two cores takes minutes, not seconds. */
export const BIG_BUILD_TIMEOUT = 15 * 60_000;

export interface BigDatabase {
  /** The saved profile's connection id (for `callApi(…, connectionId)`). */
  id: string;
  name: string;
  database: string;
}

/**
 * The shared read-mostly database of a million users (and 200,000 products), built once per run
 * by the first spec that asks (the e2e server's data directory is new every run) with the same
 * rows as the integration tests' (`bigDataStatements`, test/support/big-data-sql.ts). Built the
 * way an admin would fill a database: through a saved connection, its migrations applied by the
 * app; the list indexes are rolled back while the rows go in and applied again after, as an
 * upgrade of a full database would build them (and far faster than row by row). Specs must not
 * change its rows: bulk deletes run on the small shared database.
 */
export async function ensureBigDatabase(request: APIRequestContext): Promise<BigDatabase> {
  const connection = await embeddedConnection(request);
  const comment = await withDatabase(connection, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [BIG_DATABASE],
    );
    return rows[0] === undefined ? undefined : rows[0].comment;
  });
  const saved = (await callApi(request, 'connections.list', {})).entries.find((entry) => entry.name === BIG_PROFILE);
  if (comment === READY && saved) {
    if (saved.state !== 'open') await callApi(request, 'connections.open', { id: saved.id });
    return { id: saved.id, name: BIG_PROFILE, database: BIG_DATABASE };
  }

  // A build interrupted earlier in this run is started over.
  if (saved) await callApi(request, 'connections.delete', { id: saved.id });
  await withDatabase(connection, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${BIG_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BIG_DATABASE}`);
    // The trigram indexes over a million rows build much faster with room to sort in.
    await client.query(`ALTER DATABASE ${BIG_DATABASE} SET maintenance_work_mem = '256MB'`);
  });
  const profile = await callApi(request, 'connections.save', {
    profile: {
      name: BIG_PROFILE,
      host: connection.host,
      port: connection.port,
      database: BIG_DATABASE,
      user: connection.user,
      ssl: { mode: 'disable' },
    },
    secrets: { password: connection.password },
    keepSecretsInMemory: true,
  });
  await callApi(request, 'connections.open', { id: profile.id });
  const server = serverAddress();
  await migrateUp(request, server, profile.id);
  // Newest first, down to (and including) the list indexes: the tables stay, empty.
  for (;;) {
    const state = await callApi(request, 'migrations.status', {}, server, profile.id);
    if (!state.applied.includes(LIST_INDEXES_MIGRATION)) break;
    await callApi(request, 'migrations.down', { confirm: BIG_DATABASE }, server, profile.id);
  }
  await withDatabase(
    connection,
    async (client) => {
      for (const statement of bigDataStatements(BIG_USERS)) await client.query(statement);
    },
    BIG_DATABASE,
  );
  await migrateUp(request, server, profile.id, BIG_BUILD_TIMEOUT);
  await withDatabase(
    connection,
    async (client) => {
      // Statistics for the estimates and position jumps; the visibility map for index-only counts.
      await client.query('VACUUM ANALYZE users, products');
    },
    BIG_DATABASE,
  );
  await withDatabase(connection, async (client) => {
    await client.query(`ALTER DATABASE ${BIG_DATABASE} RESET maintenance_work_mem`);
    await client.query(`COMMENT ON DATABASE ${BIG_DATABASE} IS '${READY}'`);
  });
  return { id: profile.id, name: BIG_PROFILE, database: BIG_DATABASE };
}
