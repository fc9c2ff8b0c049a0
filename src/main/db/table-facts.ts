import type { Database } from './connect';
import { runStatement } from './prepared';

/**
 * Facts about a database that every list page wants and that rarely change: how many rows a table
 * holds (roughly), and which indexes exist. Asked for on every page, they would double its round
 * trips; so each is read once per connection and kept, adjusted or dropped by the writes that
 * change them (a create adds one, a delete takes one off, applying migrations forgets the indexes),
 * and read again after a while anyway, since other tools write to the same database.
 */
const ESTIMATE_TTL_MS = 60_000;
const INDEXES_TTL_MS = 5 * 60_000;

interface Estimate {
  rows: number;
  readAt: number;
}

export interface IndexFacts {
  /** pg_trgm is installed in this database. */
  trigram: boolean;
  /** It could be: the server has it (PostgreSQL's contrib), even if nobody created it here. */
  trigramAvailable: boolean;
  /** Valid indexes on users and products, by name. */
  indexes: ReadonlySet<string>;
}

interface Facts {
  estimates: Map<string, Estimate>;
  indexes: { facts: Promise<IndexFacts>; readAt: number } | null;
}

// Keyed by the Database (one per open connection): closing the connection lets its facts go.
const cache = new WeakMap<Database, Facts>();

function factsOf(db: Database): Facts {
  let facts = cache.get(db);
  if (!facts) {
    facts = { estimates: new Map(), indexes: null };
    cache.set(db, facts);
  }
  return facts;
}

/**
 * The planner's idea of a table's size: reltuples scaled to the table's current size on disk, as
 * the planner itself does, so a table that grew since its last ANALYZE is not under-counted.
 * -1 when the table was never analysed or vacuumed (nothing is known).
 */
const ESTIMATE_SQL = `SELECT CASE WHEN c.reltuples < 0 THEN -1
            WHEN c.relpages = 0 THEN c.reltuples
            ELSE c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int)
       END::bigint AS rows
  FROM pg_class c WHERE c.oid = to_regclass($1)`;

/** A table's estimated row count (see ESTIMATE_SQL), from the cache when fresh. */
export async function tableEstimate(db: Database, table: string): Promise<number> {
  const facts = factsOf(db);
  const known = facts.estimates.get(table);
  if (known && Date.now() - known.readAt < ESTIMATE_TTL_MS) return known.rows;
  const [row] = await runStatement<{ rows: string | null }>(db, { text: ESTIMATE_SQL, values: [table], prepare: true });
  const rows = row?.rows == null ? -1 : Number(row.rows);
  facts.estimates.set(table, { rows, readAt: Date.now() });
  return rows;
}

/** Our own write changed the table by `delta` rows: keep the estimate in step (never below zero). */
export function adjustEstimate(db: Database, table: string, delta: number): void {
  const known = factsOf(db).estimates.get(table);
  if (known && known.rows >= 0) known.rows = Math.max(0, known.rows + delta);
}

/** Read the table's estimate afresh next time (after a change too big to adjust by hand). */
export function forgetEstimate(db: Database, table: string): void {
  factsOf(db).estimates.delete(table);
}

const INDEXES_SQL = `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS trigram,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS "trigramAvailable",
       coalesce((SELECT array_agg(c.relname::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE i.indrelid IN (to_regclass('users'), to_regclass('products')) AND i.indisvalid), '{}') AS indexes`;

/** Whether pg_trgm and the list's indexes are there (for "why is this search slow" notes), cached. */
export function indexFacts(db: Database): Promise<IndexFacts> {
  const facts = factsOf(db);
  if (facts.indexes && Date.now() - facts.indexes.readAt < INDEXES_TTL_MS) return facts.indexes.facts;
  const read = runStatement<{ trigram: boolean; trigramAvailable: boolean; indexes: string[] }>(db, {
    text: INDEXES_SQL,
    values: [],
    prepare: true,
  }).then(([row]) => ({ trigram: row?.trigram ?? false, trigramAvailable: row?.trigramAvailable ?? false, indexes: new Set(row?.indexes ?? []) }));
  // A failed read is not remembered: the next page asks again.
  read.catch(() => {
    if (facts.indexes?.facts === read) facts.indexes = null;
  });
  facts.indexes = { facts: read, readAt: Date.now() };
  return read;
}

/**
 * Forget everything known about this database's tables and indexes. The migrations code calls it
 * after applying or rolling back migrations (indexes built or dropped, tables changed).
 */
export function invalidate(db: Database): void {
  cache.delete(db);
}
