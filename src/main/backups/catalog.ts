import pg from 'pg';
import { directClientConfig } from '../db/connect';
import type { ConnectionTarget } from '../db/target';

/**
 * A client of its own for one piece of backup or restore work (a snapshot held while pg_dump runs,
 * the pre-flight's reads, watching a restore's progress), never one of the pool's connections.
 */
export async function withClient<T>(target: ConnectionTarget, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(directClientConfig(target, { database, applicationName: 'simple-db', connectTimeoutMs: 10_000 }));
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `15` for 15.4, `9.6` style never matters here: we support servers from 10 on. */
export async function serverMajor(client: pg.Client): Promise<{ major: number; version: string }> {
  const { rows } = await client.query<{ num: string; version: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  );
  return { major: Math.floor(Number(rows[0]!.num) / 10000), version: rows[0]!.version };
}

/** User schemas: not the system's, not an extension's. */
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_EXTENSION_MEMBER = (alias: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${alias}.oid AND e.deptype = 'e')`;

export interface TableInfo {
  /** `schema.table`, as pg_dump names it in its messages. */
  name: string;
  /** Bytes of its data on disk: how much of a dump's time it is likely to take. */
  bytes: number;
}

/** The tables whose rows a dump holds (partitions' leaves, not their parents), with their size. */
export async function dataTables(client: pg.Client): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; bytes: string }>(
    `SELECT n.nspname || '.' || c.relname AS name, pg_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER('c', 'pg_class')}
      ORDER BY 1`,
  );
  return rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) }));
}

/** Splits `schema.table` (our own naming; names with dots are not supported by the table chooser). */
export function splitQualified(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/** Exact row counts, one table after another, in the client's current transaction (and snapshot). */
export async function countRows(client: pg.Client, tables: readonly string[], signal?: AbortSignal): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    signal?.throwIfAborted();
    const [schema, name] = splitQualified(table);
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`,
    );
    counts[table] = Number(rows[0]!.count);
  }
  return counts;
}

export interface ExistingObject {
  name: string;
  kind: string;
  rows: number | null;
  /** `rows` is the planner's estimate (a big table), not a count. */
  estimated: boolean;
}

/** What a replacing restore drops: every user schema's tables, views, sequences, types and routines. */
export async function existingObjects(client: pg.Client): Promise<ExistingObject[]> {
  const { rows } = await client.query<{ name: string; kind: string; estimate: string | null }>(
    `SELECT n.nspname || '.' || c.relname AS name,
            CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                           WHEN 'S' THEN 'sequence' ELSE 'foreign table' END AS kind,
            CASE WHEN c.relkind IN ('r', 'p') THEN c.reltuples::bigint END AS estimate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER('c', 'pg_class')}
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
     UNION ALL
     SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', 'function', NULL
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER('p', 'pg_proc')}
     ORDER BY 1`,
  );
  const objects: ExistingObject[] = [];
  for (const row of rows) {
    let count: number | null = null;
    let estimated = false;
    // Exact counts where they are cheap; the planner's estimate otherwise (never -1: "never analysed").
    if (row.estimate !== null) {
      const estimate = Number(row.estimate);
      // -1: never analysed, size unknown: counted like a small one, within the client's statement timeout.
      if (estimate < 1_000_000) {
        const [schema, name] = splitQualified(row.name);
        count = await client
          .query<{ count: string }>(`SELECT count(*) AS count FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`)
          .then(
            ({ rows: counted }) => Number(counted[0]!.count),
            // Locked by another session (lock timeout) or too slow (statement timeout): unknown, not an error.
            (error: { code?: string }) => {
              if (error.code === '55P03' || error.code === '57014') return null;
              throw error;
            },
          );
      } else {
        count = estimate;
        estimated = true;
      }
    }
    objects.push({ name: row.name, kind: row.kind, rows: count, estimated });
  }
  return objects;
}

export interface Session {
  pid: number;
  applicationName: string;
  user: string;
  state: string;
}

/**
 * Other sessions on `database`. Simple DB's own idle pool connections hold no locks and are left
 * out; one of ours in the middle of work is listed like anyone else's.
 */
export async function otherSessions(client: pg.Client, database: string): Promise<Session[]> {
  const { rows } = await client.query<{ pid: number; application_name: string; usename: string | null; state: string | null }>(
    `SELECT pid, application_name, usename, state FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid()
        -- Another role's sessions show NULL here to a role without pg_read_all_stats: they count too.
        AND (backend_type = 'client backend' OR backend_type IS NULL)
        AND NOT (application_name = 'simple-db' AND state = 'idle')
      ORDER BY pid`,
    [database],
  );
  return rows.map((row) => ({ pid: row.pid, applicationName: row.application_name || '(no name)', user: row.usename ?? '', state: row.state ?? '' }));
}

/**
 * Ends the sessions the role may signal (its own role's, or any with pg_signal_backend or as a
 * superuser); returns how many it ended and the ones it was not allowed to.
 */
export async function terminateSessions(client: pg.Client, pids: readonly number[]): Promise<{ ended: number; refused: number[] }> {
  if (pids.length === 0) return { ended: 0, refused: [] };
  const rows: Array<{ ended: boolean }> = [];
  const refused: number[] = [];
  for (const pid of pids) {
    try {
      rows.push((await client.query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid])).rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
      refused.push(pid);
    }
  }
  // Signalled; wait (briefly) until they are gone, so the restore does not meet them on its first lock.
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rowCount } = await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    if (!rowCount) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ended: rows.filter((row) => row.ended).length, refused };
}

/** The roles among `names` that the connected user cannot make owners of objects (missing, or not a member). */
export async function unusableRoles(client: pg.Client, names: readonly string[]): Promise<{ missing: string[]; notMember: string[] }> {
  if (names.length === 0) return { missing: [], notMember: [] };
  const { rows } = await client.query<{ name: string; exists: boolean; member: boolean | null }>(
    `SELECT wanted.name, r.oid IS NOT NULL AS exists,
            CASE WHEN r.oid IS NULL THEN NULL ELSE pg_has_role(current_user, r.oid, 'MEMBER') END AS member
       FROM unnest($1::text[]) AS wanted(name) LEFT JOIN pg_roles r ON r.rolname = wanted.name`,
    [names],
  );
  return {
    missing: rows.filter((row) => !row.exists).map((row) => row.name),
    notMember: rows.filter((row) => row.member === false).map((row) => row.name),
  };
}

/** The settings among `names` this server does not know (a dotted name is a custom setting: always allowed). */
export async function unknownSettings(client: pg.Client, names: readonly string[]): Promise<string[]> {
  const plain = names.filter((name) => !name.includes('.'));
  if (plain.length === 0) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_settings WHERE name = ANY($1::text[])', [plain]);
  const known = new Set(rows.map((row) => row.name));
  return plain.filter((name) => !known.has(name));
}

export async function databaseExists(client: pg.Client, database: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  return Boolean(rowCount);
}
