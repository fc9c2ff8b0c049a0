import type { Database } from './connect';
import { runStatement, runTimeBoxed } from './prepared';

/**
 * Facts about a database that every list page wants and that rarely change: how many rows a table
 * holds (roughly), and which indexes exist. Asked for on every page, they would double its round
 * trips; so each is read once per connection and kept, adjusted or dropped by the writes that
 * change them (a create adds one, a delete takes one off, applying migrations forgets the indexes),
 * and read again after a while anyway, since other tools write to the same database.
 */
const ESTIMATE_TTL_MS = 60_000;
const INDEXES_TTL_MS = 5 * 60_000;

/** Up to this many rows a table is small: its lists count it exactly rather than estimate it. */
export const EXACT_COUNT_LIMIT = 10_000;
/** How long the bounded count that checks a large estimate may take before the estimate is trusted as it is. */
const BOUNDED_COUNT_BUDGET_MS = 150;
/**
 * Below this many rows (by the estimate) a large table's total is worth counting exactly, once per
 * estimate read, in the same time box: 200,000 products count in about 10 ms, a million users in
 * about 50 (without parallel workers, see runTimeBoxed), so "about 202,654" beside a table of
 * 200,003 rows is needless. Bigger tables keep the estimate: a count that long would run out of
 * its budget on a busy server anyway, and be paid again every minute.
 */
export const EXACT_TABLE_COUNT_LIMIT = 1_000_000;
/** How long a count that ran out of its time box is not tried again (the estimate is used meanwhile). */
const COUNT_TIMEOUT_TTL_MS = 60_000;

interface Estimate {
  rows: number;
  readAt: number;
  /**
   * Rows a bounded count saw (see boundedCount), read with a large estimate: `all` when that was
   * every row of the table (it holds at most EXACT_COUNT_LIMIT), else the table holds at least `rows`.
   */
  counted: { rows: number; all: boolean } | null;
  /**
   * `rows` is an exact count of the whole table (a large one under EXACT_TABLE_COUNT_LIMIT that
   * counted within the budget), kept in step by our writes like the estimate. `tried` once the
   * count was attempted for this read, so a table too slow to count is not counted on every page.
   */
  exact: { tried: boolean; counted: boolean };
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
  /**
   * Counts that ran out of their time box lately, by statement and values: when, and with what
   * budget. A listing's total is asked on every load; retrying a count known to take longer only
   * cancels it again (log noise, a connection held for the whole budget) for the same estimate.
   */
  timedOutCounts: Map<string, { at: number; budgetMs: number }>;
}

// Keyed by the Database (one per open connection): closing the connection lets its facts go.
const cache = new WeakMap<Database, Facts>();

function factsOf(db: Database): Facts {
  let facts = cache.get(db);
  if (!facts) {
    facts = { estimates: new Map(), indexes: null, timedOutCounts: new Map() };
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

/**
 * Whether a table really holds more than EXACT_COUNT_LIMIT rows: the planner's figures only shrink
 * when VACUUM or ANALYZE next runs, so after deleting all but 30 of 50,000 rows the estimate still
 * says 50,000. Counting at most one row more than the limit is cheap whatever the table's size,
 * and only a count that reaches it means "large". Time-boxed all the same: a huge table that was
 * emptied but not vacuumed is read through its dead rows; then the estimate is kept, as before.
 */
async function boundedCount(db: Database, table: string, budgetMs: number): Promise<{ rows: number; all: boolean }> {
  const limit = EXACT_COUNT_LIMIT + 1;
  const counted = await runTimeBoxed<{ rows: number }>(
    db,
    { text: `SELECT count(*)::int AS rows FROM (SELECT 1 FROM ${checkedName(table)} LIMIT ${limit}) s`, values: [], prepare: false },
    budgetMs,
  );
  if (!counted) return { rows: limit, all: false };
  const rows = counted[0]?.rows ?? 0;
  return { rows, all: rows < limit };
}

/**
 * A table's row count as the lists use it, from the cache when fresh: the planner's estimate (see
 * ESTIMATE_SQL), checked by a bounded count when it is EXACT_COUNT_LIMIT or more. When that count
 * finds the table small, the count is the answer, so the caller counts exactly instead of showing
 * "about 50,011" beside 25 rows. Above EXACT_COUNT_LIMIT means large, for certain.
 */
export async function tableEstimate(db: Database, table: string): Promise<number> {
  return (await checkedEstimate(db, table)).rows;
}

/**
 * A whole table's total for a list: `exact` when the figure is a count of every row (a table the
 * bounded count saw whole, or a large one under EXACT_TABLE_COUNT_LIMIT counted within the budget
 * once per estimate read), else the estimate. Both kept in step by our writes (adjustEstimate).
 * `budgetMs` is the list's count budget (tests give a long one, so a busy machine cannot make the
 * count run out of time).
 */
export async function tableTotal(db: Database, table: string, listBudgetMs = BOUNDED_COUNT_BUDGET_MS): Promise<{ count: number; exact: boolean }> {
  // What is learnt here is kept for every later caller for a minute: never from a shorter box than usual.
  const budgetMs = Math.max(listBudgetMs, BOUNDED_COUNT_BUDGET_MS);
  const known = await checkedEstimate(db, table, budgetMs);
  if (known.all) return { count: known.rows, exact: true };
  const entry = factsOf(db).estimates.get(table);
  if (!entry || known.rows >= EXACT_TABLE_COUNT_LIMIT) return { count: known.rows, exact: false };
  if (!entry.exact.tried) {
    entry.exact.tried = true;
    const counted = await runTimeBoxed<{ rows: number }>(
      db,
      { text: `SELECT count(*)::int AS rows FROM ${checkedName(table)}`, values: [], prepare: false },
      budgetMs,
    );
    // Still the entry read before the count (no forget or newer read meanwhile): it takes the count.
    if (counted && factsOf(db).estimates.get(table) === entry) {
      entry.rows = counted[0]?.rows ?? 0;
      entry.exact.counted = true;
      entry.counted = { rows: entry.rows, all: entry.rows <= EXACT_COUNT_LIMIT };
    }
  }
  return { count: entry.rows, exact: entry.exact.counted };
}

/** The table's name is ours (a list's spec), never typed; checked anyway, since it is spliced in. */
function checkedName(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`Not a table name: ${table}`);
  return table;
}

async function checkedEstimate(db: Database, table: string, budgetMs = BOUNDED_COUNT_BUDGET_MS): Promise<{ rows: number; all: boolean }> {
  const facts = factsOf(db);
  let known = facts.estimates.get(table);
  if (!known || Date.now() - known.readAt >= ESTIMATE_TTL_MS) {
    const [row] = await runStatement<{ rows: string | null }>(db, { text: ESTIMATE_SQL, values: [table], prepare: true });
    known = { rows: row?.rows == null ? -1 : Number(row.rows), readAt: Date.now(), counted: null, exact: { tried: false, counted: false } };
    facts.estimates.set(table, known);
  }
  if (known.rows >= EXACT_COUNT_LIMIT && !known.counted) {
    const counted = await boundedCount(db, table, budgetMs);
    known.counted = counted;
    // The count saw every row: it is the better estimate, and our writes keep both in step.
    if (counted.all) known.rows = counted.rows;
  }
  const rows = known.counted && !known.counted.all ? Math.max(known.rows, known.counted.rows) : known.rows;
  return { rows, all: known.counted?.all ?? false };
}

/** Our own write changed the table by `delta` rows: keep the estimate and the bounded count in step (never below zero). */
export function adjustEstimate(db: Database, table: string, delta: number): void {
  const known = factsOf(db).estimates.get(table);
  if (!known) return;
  if (known.rows >= 0) known.rows = Math.max(0, known.rows + delta);
  const counted = known.counted;
  if (!counted) return;
  counted.rows = Math.max(0, counted.rows + delta);
  if (counted.all && counted.rows > EXACT_COUNT_LIMIT) counted.all = false;
  // "At least N" less what we deleted may no longer be above the limit: count again next time.
  else if (!counted.all && counted.rows <= EXACT_COUNT_LIMIT) known.counted = null;
}

/** Whether this count ran out of a time box at least as long as `budgetMs` in the last minute: then it is not tried again yet. */
export function countRecentlyTimedOut(db: Database, key: string, budgetMs: number): boolean {
  const timedOut = factsOf(db).timedOutCounts;
  const known = timedOut.get(key);
  if (!known) return false;
  if (Date.now() - known.at >= COUNT_TIMEOUT_TTL_MS) {
    timedOut.delete(key);
    return false;
  }
  return budgetMs <= known.budgetMs;
}

/** This count ran out of its time box: the estimate stands in for it for a minute (see countRecentlyTimedOut). */
export function rememberCountTimeout(db: Database, key: string, budgetMs: number): void {
  const timedOut = factsOf(db).timedOutCounts;
  // Bounded: a long session of different searches must not grow it without end.
  if (timedOut.size >= 500) {
    const now = Date.now();
    for (const [k, v] of timedOut) if (now - v.at >= COUNT_TIMEOUT_TTL_MS) timedOut.delete(k);
    if (timedOut.size >= 500) timedOut.delete(timedOut.keys().next().value!);
  }
  timedOut.set(key, { at: Date.now(), budgetMs });
}

/** Read the table's estimate afresh next time (after a change too big to adjust by hand, or another tool's). */
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
