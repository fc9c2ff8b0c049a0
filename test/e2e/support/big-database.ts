import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { APIRequestContext } from '@playwright/test';
import ts from 'typescript';
import { embeddedConnection, withDatabase } from './database';
import { callApi, migrateUp, serverAddress } from './server';

type Generator = Pick<typeof import('../../support/big-database'), 'bigDataStatements'>;

/**
 * The rows come from the integration tests' generator (test/support/big-database.ts), so both
 * suites test the same million users and its SQL lives in one place. That module is written for
 * vitest: it imports vitest's `inject` and the app's migrator, neither of which Playwright's
 * CommonJS test runner can load. Its `bigDataStatements` is plain (string building over constants
 * of its own), so the file is transpiled here and run with its imports stubbed: anything else it
 * exports is not for this runner. (A module holding only the SQL would let this go.)
 */
function generator(): Generator {
  const file = path.resolve(__dirname, '../../support/big-database.ts');
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: file,
  });
  const notHere = (name: string) =>
    new Proxy(() => undefined, {
      get: (_target, key) => (key === '__esModule' ? false : notHere(`${name}.${String(key)}`)),
      apply: () => {
        throw new Error(`${name} is not available to the e2e tests' copy of the generator`);
      },
    });
  const module = { exports: {} as Record<string, unknown> };
  const run = vm.runInThisContext(`(function (require, module, exports) {\n${outputText}\n})`, { filename: file }) as (
    require: (name: string) => unknown,
    module: { exports: Record<string, unknown> },
    exports: Record<string, unknown>,
  ) => void;
  run((name) => notHere(name), module, module.exports);
  const { bigDataStatements } = module.exports as Partial<Generator>;
  if (typeof bigDataStatements !== 'function') throw new Error(`${file} no longer exports bigDataStatements`);
  return { bigDataStatements };
}

/** The size (the integration tests' too); the specs' expectations follow it. */
export const BIG_USERS = 1_000_000;

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
 * rows as the integration tests' (`bigDataStatements`, test/support/big-database.ts). Built the
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
      for (const statement of generator().bigDataStatements(BIG_USERS)) await client.query(statement);
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
