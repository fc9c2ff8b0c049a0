import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { IndexPlan, MigrationPlan } from '../../shared/contract';
import type { IndexSpec } from './migration-context';

/**
 * Rough build rates on ordinary hardware, measured loosely: a btree sorts and loads fast, a
 * trigram GIN index writes many entries per row. CONCURRENTLY scans the table twice and waits for
 * other transactions, so it is taken as twice as slow. The goal is the right order of magnitude.
 */
const BTREE_ROWS_PER_SECOND = 600_000;
const GIN_ROWS_PER_SECOND = 60_000;
const CONCURRENTLY_SLOWER = 2;
/** A column without statistics (never analyzed) and of variable width is taken as this wide. */
const FALLBACK_WIDTH = 24;
/** Per btree entry beside the columns: the id (4) and the tuple header and item pointer (~16). */
const BTREE_ID_BYTES = 4;
const BTREE_ENTRY_OVERHEAD = 16;
/** btree leaf pages are built 90 % full. */
const BTREE_FILL = 0.9;
/**
 * A trigram GIN index holds one entry per distinct trigram of each value (about one per
 * character), compressed in posting lists: about three times the column's width per row is rough
 * but of the right size.
 */
const GIN_TRGM_FACTOR = 3;
/** Up to this size a table is counted exactly when its statistics say nothing (or too little). */
const EXACT_COUNT_MAX_BYTES = 64 * 1024 * 1024;
/** Statistics of a table this small (in pages) may be far off (a few inserts change everything): count it. */
const SMALL_TABLE_PAGES = 16;
/** With no statistics and too big to count: rows from the table's size at about this many bytes a row. */
const ROUGH_ROW_BYTES = 100;

export interface ExtensionStatus {
  installed: boolean;
  /** Installed already, or this role may create it now. */
  usable: boolean;
  /** Why it cannot be used, for people; null when it can. */
  reason: string | null;
}

type Query = <T extends object>(sql: string, bind?: unknown[]) => Promise<T[]>;

function reader(sequelize: Sequelize, transaction?: Transaction): Query {
  return <T extends object>(sql: string, bind: unknown[] = []) =>
    sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) });
}

const SLOWER_WITHOUT = 'searches still work without it, only slower';

/**
 * Whether `extension` is there or may be added by this role, without adding it: looking changes
 * nothing, so a read-only connection may look too. A trusted extension (pg_trgm since
 * PostgreSQL 13) needs CREATE on the database; any other needs a superuser.
 */
export async function extensionStatus(sequelize: Sequelize, extension: string, transaction?: Transaction): Promise<ExtensionStatus> {
  const [row] = await reader(sequelize, transaction)<{
    installed: boolean;
    available: boolean;
    may_create: boolean;
    superuser: boolean;
    trusted: string | null;
  }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1) AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1) AS available,
            has_database_privilege(current_user, current_database(), 'CREATE') AS may_create,
            coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
            -- "trusted" exists from PostgreSQL 13 on; read through jsonb so older servers answer null.
            (SELECT to_jsonb(v) ->> 'trusted'
               FROM pg_available_extension_versions v
               JOIN pg_available_extensions e ON e.name = v.name AND e.default_version = v.version
              WHERE v.name = $1) AS trusted`,
    [extension],
  );
  if (!row) return { installed: false, usable: false, reason: `${extension} could not be looked up` };
  if (row.installed) return { installed: true, usable: true, reason: null };
  if (!row.available) {
    return {
      installed: false,
      usable: false,
      reason: `${extension} is not available on this server (its contrib package is not installed); ${SLOWER_WITHOUT}`,
    };
  }
  if (row.superuser) return { installed: false, usable: true, reason: null };
  if (row.trusted !== 'true') {
    return {
      installed: false,
      usable: false,
      reason: `${extension} is not installed and only a superuser may create it on this server; ${SLOWER_WITHOUT}`,
    };
  }
  if (!row.may_create) {
    return {
      installed: false,
      usable: false,
      reason: `${extension} is not installed and this role may not create it (needs CREATE on the database); ${SLOWER_WITHOUT}`,
    };
  }
  return { installed: false, usable: true, reason: null };
}

/** Rows and column widths of one table, as the planner sees them (or counted, when it sees nothing). */
interface TableSize {
  rows: number;
  widths: Map<string, number>;
}

async function tableRows(query: Query, table: string): Promise<number> {
  const [row] = await query<{ reltuples: number; relpages: number; bytes: number; block: number }>(
    `SELECT c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
            pg_relation_size(c.oid)::float8 AS bytes, current_setting('block_size')::float8 AS block
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [table],
  );
  // Not there yet: an earlier pending migration creates it, empty.
  if (!row) return 0;
  const { reltuples, relpages, bytes, block } = row;
  // The planner's own estimate: the analyzed density scaled to the table's current size.
  const scaled = reltuples >= 0 && relpages > 0 ? (reltuples / relpages) * (bytes / block) : null;
  if (scaled !== null && relpages >= SMALL_TABLE_PAGES) return Math.round(scaled);
  // Never analyzed (reltuples -1), or small enough that counting costs next to nothing: count.
  if (bytes <= EXACT_COUNT_MAX_BYTES) {
    try {
      const [counted] = await query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${table}`);
      return counted?.n ?? 0;
    } catch {
      // A role that may not read the table still gets an estimate from its size.
    }
  }
  return Math.round(scaled ?? bytes / ROUGH_ROW_BYTES);
}

async function tableSize(query: Query, table: string, columns: readonly string[]): Promise<TableSize> {
  const rows = await tableRows(query, table);
  const widths = new Map<string, number>();
  if (columns.length > 0) {
    const found = await query<{ name: string; avg_width: number | null; attlen: number }>(
      `SELECT a.attname AS name, s.avg_width, a.attlen
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
        WHERE a.attrelid = to_regclass($1) AND a.attname = ANY ($2::text[]) AND NOT a.attisdropped`,
      [table, columns],
    );
    for (const column of found) widths.set(column.name, column.avg_width ?? (column.attlen > 0 ? column.attlen : FALLBACK_WIDTH));
  }
  return { rows, widths };
}

const MIN_INDEX_BYTES = 2 * 8192;

function estimate(index: IndexSpec, size: TableSize, concurrently: boolean): { estimatedBytes: number; estimatedSeconds: number } {
  const width = index.sizedBy.reduce((sum, column) => sum + (size.widths.get(column) ?? FALLBACK_WIDTH), 0);
  // A partial index is sized as if it held every row: an upper bound.
  const bytes =
    index.method === 'gin' ? size.rows * width * GIN_TRGM_FACTOR : (size.rows * (width + BTREE_ID_BYTES + BTREE_ENTRY_OVERHEAD)) / BTREE_FILL;
  const rate = index.method === 'gin' ? GIN_ROWS_PER_SECOND : BTREE_ROWS_PER_SECOND;
  const seconds = (size.rows / rate) * (concurrently ? CONCURRENTLY_SLOWER : 1);
  // Even an index of an empty table has its meta page and a root page: never say "~0 bytes".
  return { estimatedBytes: Math.max(MIN_INDEX_BYTES, Math.round(bytes)), estimatedSeconds: Math.round(seconds * 10) / 10 };
}

/**
 * What each migration's indexes will cost, before anything is built: rows from the planner's
 * statistics (counted when it has none), widths from pg_stats, and whether an index will be
 * skipped for want of its extension. `kind` says whose: pending migrations' declared indexes, or
 * applied ones' missing indexes (only those). Only reads.
 */
export async function planIndexes(
  sequelize: Sequelize,
  migrations: readonly { name: string; indexes: readonly IndexSpec[] }[],
  options: { concurrently: boolean; kind: NonNullable<MigrationPlan['kind']> },
): Promise<MigrationPlan[]> {
  const query = reader(sequelize);
  const sizes = new Map<string, TableSize>();
  const extensions = new Map<string, ExtensionStatus>();
  const plans: MigrationPlan[] = [];
  for (const { name, indexes: declared } of migrations) {
    if (declared.length === 0) continue;
    const indexes: IndexPlan[] = [];
    for (const index of declared) {
      if (!sizes.has(index.table)) {
        const columns = [...new Set(declared.filter((other) => other.table === index.table).flatMap((other) => other.sizedBy))];
        sizes.set(index.table, await tableSize(query, index.table, columns));
      }
      let skipped: string | null = null;
      if (index.extension) {
        if (!extensions.has(index.extension)) extensions.set(index.extension, await extensionStatus(sequelize, index.extension));
        skipped = extensions.get(index.extension)!.reason;
      }
      indexes.push({
        name: index.name,
        table: index.table,
        purpose: index.purpose,
        method: index.method,
        ...estimate(index, sizes.get(index.table)!, options.concurrently),
        concurrently: options.concurrently,
        skipped,
      });
    }
    plans.push({ name, kind: options.kind, indexes });
  }
  return plans;
}
