import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { EmbeddedConnection } from './server';

/** The database Simple DB keeps its tables in on the embedded server. */
export const EMBEDDED_DATABASE = 'simple_db';

/**
 * The role the app works as on its own server. It owns the app's database but is no superuser:
 * a restored file (plain SQL or an archive) runs with its rights, so it can never run
 * `COPY … PROGRAM` or read the server's files. CREATEDB lets "restore into a new database" work.
 * The superuser is used only here, to create this role and the database.
 */
export const EMBEDDED_APP_ROLE = 'simple_db_app';

const APP_CREDENTIALS_FILE = 'app-credentials.json';

/** The app role's password, kept like the superuser's (0600, beside it); made on first need. */
async function appRolePassword(dataDir: string): Promise<{ password: string; created: boolean }> {
  const file = path.join(dataDir, APP_CREDENTIALS_FILE);
  try {
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { password?: unknown };
    if (typeof saved.password === 'string' && saved.password.length >= 16) return { password: saved.password, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const password = crypto.randomBytes(24).toString('base64url');
  await fs.writeFile(file, JSON.stringify({ user: EMBEDDED_APP_ROLE, password }), { mode: 0o600 });
  return { password, created: true };
}

async function withClient<T>(connection: EmbeddedConnection, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...connection, database, application_name: 'simple-db' });
  // Without a listener, a server-side disconnect here would crash start-up instead of failing it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the app's role and database exist, the database owned by the role, and returns how
 * the app connects: as that role, never as the superuser. A database from an earlier version
 * (owned by the superuser) is handed over to the role, tables and all.
 */
export async function ensureAppDatabase(superuser: EmbeddedConnection, dataDir: string, name = EMBEDDED_DATABASE): Promise<EmbeddedConnection> {
  const { password } = await appRolePassword(dataDir);
  await withClient(superuser, 'postgres', async (client) => {
    const role = client.escapeIdentifier(EMBEDDED_APP_ROLE);
    // Role passwords cannot be bound as parameters (utility statement): escapeLiteral quotes it.
    const secret = client.escapeLiteral(password);
    const { rowCount: roleExists } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [EMBEDDED_APP_ROLE]);
    if (roleExists) await client.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS PASSWORD ${secret}`);
    else await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS PASSWORD ${secret}`);
    const { rows } = await client.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [name]);
    if (!rows[0]) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${role}`);
    else if (rows[0].owner !== EMBEDDED_APP_ROLE) await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} OWNER TO ${role}`);
  });
  await withClient(superuser, name, (client) => handOverObjects(client, superuser.user));
  return { ...superuser, user: EMBEDDED_APP_ROLE, password, database: name };
}

/** Tables, views, sequences, types and routines the superuser owns in the app's schemas go to the app role. */
async function handOverObjects(client: pg.Client, superuser: string): Promise<void> {
  const role = client.escapeIdentifier(EMBEDDED_APP_ROLE);
  const { rows } = await client.query<{ statement: string }>(
    `SELECT format('ALTER TABLE %I.%I OWNER TO %s', n.nspname, c.relname, $2::text) AS statement
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     UNION ALL
     SELECT format('ALTER SEQUENCE %I.%I OWNER TO %s', n.nspname, c.relname, $2::text)
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND c.relkind = 'S'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
    [superuser, role],
  );
  for (const { statement } of rows) await client.query(statement);
}

/** Creates a database on first start (the server only comes with `postgres`); tests use it for theirs. */
export async function ensureDatabase(connection: EmbeddedConnection, name = EMBEDDED_DATABASE): Promise<void> {
  await withClient(connection, 'postgres', async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}
