import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { JobProgress } from '../../shared/contract';
import { cancelBackend } from '../connections/cancellable';
import { directClientConfig } from './connect';
import type { IndexSpec } from './migration-context';
import type { ConnectionTarget } from './target';

/** How often a running build's progress is read (from another connection). The first look comes sooner. */
const WATCH_INTERVAL_MS = 500;
const FIRST_WATCH_MS = 150;
/** How often a migrator waiting for another one tries the lock again. */
const LOCK_RETRY_MS = 500;
/** A half-built index is dropped after a cancel; a drop stuck behind someone's long transaction is left for the retry. */
const CLEANUP_LOCK_TIMEOUT = '10s';

/** One session that runs the statements of a build: a transaction's connection, or the builder's own. */
export interface IndexSession {
  /** Its backend, for pg_stat_progress_create_index and for a cancel. */
  pid: number;
  query<T extends object = Record<string, unknown>>(sql: string, bind?: unknown[]): Promise<T[]>;
}

/** The builder's dedicated connection, outside any transaction and outside the pool. */
export interface BuilderSession extends IndexSession {
  close(): Promise<void>;
}

/** One row of pg_stat_progress_create_index, numbers as numbers. */
export interface IndexBuildRow {
  phase: string;
  blocksDone: number;
  blocksTotal: number;
  tuplesDone: number;
  tuplesTotal: number;
  lockersDone: number;
  lockersTotal: number;
}

export function createIndexSql(index: IndexSpec, concurrently: boolean): string {
  // Identifiers and the column list come from our own migration files, never from input.
  return `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${index.name} ON ${index.table} USING ${index.method} ${index.columns}`;
}

/** What a cancel while waiting for another migrator leaves: what it waited to do was not begun. */
export const CANCELLED_WAITING =
  'Cancelled while waiting for another migration of this database to finish; what it was waiting to do was not started.';

/**
 * Tries `tryLock` until it answers true, every LOCK_RETRY_MS, calling `onWaiting` once when the
 * first try fails. Tried, not waited for on the server: a statement blocked on a lock cannot see
 * the job's cancel (and holds a snapshot, see openBuilderSession), while between tries nothing is
 * held and an abort ends the wait at once, with CANCELLED_WAITING.
 */
export async function waitForLock(
  tryLock: () => Promise<boolean>,
  options: { signal?: AbortSignal | undefined; onWaiting?: (() => void) | undefined },
): Promise<void> {
  const { signal } = options;
  let waiting = false;
  for (;;) {
    if (signal?.aborted) throw abortError(CANCELLED_WAITING);
    if (await tryLock()) return;
    if (!waiting) options.onWaiting?.();
    waiting = true;
    try {
      await delay(LOCK_RETRY_MS, undefined, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw abortError(CANCELLED_WAITING);
      throw error;
    }
  }
}

/**
 * Opens the connection CREATE INDEX CONCURRENTLY runs on (it refuses to run in a transaction) and
 * takes the session lock that lets one migrator at a time build on this database. The lock is
 * tried, not waited for: a session blocked on a lock holds a snapshot, and CONCURRENTLY waits for
 * every older snapshot to go away, so a blocked second migrator and the first one's build would
 * wait for each other. Between tries the waiting one holds nothing.
 */
export async function openBuilderSession(
  target: ConnectionTarget,
  options: { lockName: string; signal?: AbortSignal | undefined; onWaiting?: () => void },
): Promise<BuilderSession> {
  const client = new pg.Client(directClientConfig(target, { applicationName: 'simple-db (migrations)', connectTimeoutMs: 10_000 }));
  // A dropped connection fails the statement in flight; without a listener the event would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    // A build on a big table takes longer than the pool's limit for screens; a cancel stops it.
    await client.query('SET statement_timeout = 0');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await waitForLock(
      async () =>
        (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [options.lockName])).rows[0]?.locked ?? false,
      options,
    );
    return {
      pid: rows[0]!.pid,
      query: async <T extends object>(sql: string, bind: unknown[] = []) => (await client.query<T>(sql, bind)).rows,
      // Ending the session releases its lock.
      close: () => client.end().catch(() => undefined),
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Reads a running build's progress every half second from another connection (the pool) and
 * hands each row to `onRow`. Returns the stop function, which waits for a look in flight. A look
 * that fails (a full pool) is skipped: progress is a courtesy, never a reason to fail the build.
 */
export function watchIndexBuild(sequelize: Sequelize, pid: number, onRow: (row: IndexBuildRow) => void): () => Promise<void> {
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    inFlight = sequelize
      .query<Record<string, string | null>>(
        `SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total
           FROM pg_stat_progress_create_index WHERE pid = $1`,
        { bind: [pid], type: QueryTypes.SELECT },
      )
      .then(
        ([row]) => {
          if (!stopped && row?.phase) {
            onRow({
              phase: row.phase,
              blocksDone: Number(row.blocks_done ?? 0),
              blocksTotal: Number(row.blocks_total ?? 0),
              tuplesDone: Number(row.tuples_done ?? 0),
              tuplesTotal: Number(row.tuples_total ?? 0),
              lockersDone: Number(row.lockers_done ?? 0),
              lockersTotal: Number(row.lockers_total ?? 0),
            });
          }
        },
        () => undefined,
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(look, WATCH_INTERVAL_MS);
      });
  };
  timer = setTimeout(look, FIRST_WATCH_MS);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight;
  };
}

/** "Building index: scanning table" from the view's "building index: scanning table". */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A build's progress for people: `label` says which index ("Index 2 of 4: ix_users_email_trgm
 * (searching users’ emails)"), the row where the build is. Blocks while the table is scanned,
 * tuples while they are sorted and loaded; waits for other transactions have no amount to show.
 */
export function buildProgress(label: string, row: IndexBuildRow | null): JobProgress {
  if (!row) return { phase: 'Building index', done: 0, total: null, unit: 'blocks', message: `${label} — starting` };
  const amount: Pick<JobProgress, 'done' | 'total' | 'unit'> =
    row.blocksTotal > 0
      ? { done: row.blocksDone, total: row.blocksTotal, unit: 'blocks' }
      : row.tuplesTotal > 0
        ? { done: row.tuplesDone, total: row.tuplesTotal, unit: 'rows' }
        : { done: 0, total: null, unit: 'blocks' };
  const waitingFor = row.phase.startsWith('waiting') && row.lockersTotal > 0 ? ` (${row.lockersDone} of ${row.lockersTotal} transactions)` : '';
  return { phase: sentence(row.phase), ...amount, message: `${label} — ${row.phase}${waitingFor}` };
}

/** Valid (true), half-built (false), or not there (null). */
async function indexValidity(session: IndexSession, name: string): Promise<boolean | null> {
  const [row] = await session.query<{ valid: boolean }>('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [name]);
  return row ? row.valid : null;
}

/**
 * Sends pg_cancel_backend for `pid` when `signal` aborts, over a connection of its own (the pool
 * may be full); `settle` stops listening and waits for a cancel already sent, so it can never hit
 * a statement sent after it.
 */
export function cancelOnAbort(signal: AbortSignal, target: ConnectionTarget, pid: number): { settle: () => Promise<void> } {
  const sent: { cancel: Promise<void> | null } = { cancel: null };
  const onAbort = () => {
    sent.cancel = cancelBackend(target, pid).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    settle: async () => {
      signal.removeEventListener('abort', onAbort);
      await sent.cancel;
    },
  };
}

/** The error a cancelled step throws; `message` says what was left, when there is more to say than "Cancelled". */
export function abortError(message = 'Cancelled'): DOMException {
  return new DOMException(message, 'AbortError');
}

export type BuildOutcome = 'built' | 'kept';

export interface BuildOptions {
  /** The pool: progress is read from another connection than the build's. */
  sequelize: Sequelize;
  onProgress: (row: IndexBuildRow | null) => void;
}

/**
 * Builds one index inside the caller's transaction (a server nobody else uses). A half-built
 * leftover of an earlier CONCURRENTLY attempt is dropped first; a valid one is kept.
 */
export async function buildIndexInTransaction(session: IndexSession, index: IndexSpec, options: BuildOptions): Promise<BuildOutcome> {
  const validity = await indexValidity(session, index.name);
  if (validity === true) return 'kept';
  if (validity === false) await session.query(`DROP INDEX IF EXISTS ${index.name}`);
  options.onProgress(null);
  const stopWatching = watchIndexBuild(options.sequelize, session.pid, options.onProgress);
  try {
    await session.query(createIndexSql(index, false));
  } finally {
    await stopWatching();
  }
  return 'built';
}

/**
 * Builds one index with CREATE INDEX CONCURRENTLY on the builder's own connection, so the table
 * keeps serving reads and writes. A retry finds what an earlier attempt left: a valid index is
 * kept, an INVALID one (a cancelled or failed CONCURRENTLY build leaves it behind) is dropped and
 * built again. A cancel stops the build on the server (pg_cancel_backend) and drops what it left,
 * then throws an AbortError.
 */
export async function buildIndexConcurrently(
  session: BuilderSession,
  index: IndexSpec,
  options: BuildOptions & { target: ConnectionTarget; signal?: AbortSignal | undefined },
): Promise<BuildOutcome> {
  const { signal } = options;
  const validity = await indexValidity(session, index.name);
  if (validity === true) return 'kept';
  if (validity === false) await dropLeftover(session, index.name, options);
  signal?.throwIfAborted();
  options.onProgress(null);
  const stopWatching = watchIndexBuild(options.sequelize, session.pid, options.onProgress);
  const cancel = signal ? cancelOnAbort(signal, options.target, session.pid) : null;
  try {
    await session.query(createIndexSql(index, true));
  } catch (error) {
    await cancel?.settle();
    await dropIfInvalid(session, index.name);
    if (signal?.aborted) throw abortError();
    throw error;
  } finally {
    await cancel?.settle();
    await stopWatching();
  }
  // A cancel that came as the build finished: the index is whole and stays; the migration stops here.
  if (signal?.aborted) throw abortError();
  return 'built';
}

/**
 * Drops the INVALID index an earlier cancelled or failed attempt left, before building it again.
 * DROP INDEX CONCURRENTLY waits for every transaction using the table, which may take as long as
 * someone's long report: a cancel stops it on the server, as it stops a build. The index stays
 * INVALID (unused by queries) and the next attempt drops it.
 */
async function dropLeftover(
  session: IndexSession,
  name: string,
  options: { target: ConnectionTarget; signal?: AbortSignal | undefined },
): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const cancel = signal ? cancelOnAbort(signal, options.target, session.pid) : null;
  try {
    await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  } catch (error) {
    if (signal?.aborted) {
      throw abortError(
        `Cancelled while dropping ${name}, a half-built index an earlier attempt left (the drop waits for transactions using its table); it stays unused until the next apply drops it.`,
      );
    }
    throw error;
  } finally {
    // Settled before the next statement, so a late cancel cannot hit it.
    await cancel?.settle();
  }
}

/** Drops what a failed CONCURRENTLY build left, if it left anything; a drop that cannot finish now is left to the retry. */
async function dropIfInvalid(session: IndexSession, name: string): Promise<void> {
  try {
    if ((await indexValidity(session, name)) !== false) return;
    // DROP INDEX CONCURRENTLY refuses a transaction block, so SET LOCAL cannot scope the limit:
    // it is reset however the drop ends, or the session's next build would inherit it.
    await session.query(`SET lock_timeout = '${CLEANUP_LOCK_TIMEOUT}'`);
    try {
      await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    } finally {
      await session.query('RESET lock_timeout');
    }
  } catch {
    // The retry drops an INVALID index before building it again.
  }
}
