import crypto from 'node:crypto';
import type pg from 'pg';
import type { Database } from './connect';

/**
 * One SQL statement with its values. `text` is ours (whitelisted pieces only); every value the
 * admin typed travels in `values`.
 */
export interface Statement {
  text: string;
  values: unknown[];
  /**
   * Prepare it (a named statement, parsed once per connection and planned once PostgreSQL finds a
   * generic plan as good as the custom ones). Only for statements whose every plan is right for
   * any value: a search pattern or a date range changes which index is right (a generic plan
   * picked for "%a%" would walk the whole table for "%zq%"), so those stay unnamed and are
   * planned for their values every time.
   */
  prepare: boolean;
  /** A write: never retried once it may have reached the server. */
  write?: boolean;
}

// Names already worked out, by text: a page would otherwise hash its statement on every call.
// Prepared texts are few (ours, without searches), but the map is bounded all the same.
const names = new Map<string, string>();
const MAX_NAMES = 1000;

/** Named after the text itself, so a statement is prepared once per connection whoever sends it. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `sdb_${crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    if (names.size >= MAX_NAMES) names.clear();
    names.set(text, name);
  }
  return name;
}

type Manager = { getConnection(options: { type: 'read' | 'write' }): Promise<object>; releaseConnection(connection: object): void };

/**
 * Runs `work` on a raw node-postgres client of the Sequelize pool (the same connections, limits
 * and session settings as everything else), for what Sequelize's query API cannot do: named
 * prepared statements, and a statement time box with SET LOCAL.
 */
export async function withPooledClient<T>(db: Database, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const manager = db.sequelize.connectionManager as unknown as Manager;
  const client = (await manager.getConnection({ type: 'read' })) as pg.Client;
  try {
    return await work(client);
  } finally {
    manager.releaseConnection(client);
  }
}

/**
 * The pool may hand out a connection the server already dropped (a restart, an idle timeout)
 * before its 'error' event marked it invalid; Sequelize's own queries retry those, so ours do
 * too: a read always (it changes nothing), a write only when pg refused to send it.
 */
const RETRIES = 11;
const NEVER_SENT = /not queryable/i;
const CONNECTION_GONE = [/Connection terminated/i, /ECONNRESET/, /terminating connection due to administrator command/i, NEVER_SENT];

function mayRetry(error: unknown, statement: Statement): boolean {
  const message = (error as { message?: string } | null)?.message ?? '';
  return statement.write ? NEVER_SENT.test(message) : CONNECTION_GONE.some((pattern) => pattern.test(message));
}

/**
 * Why a named statement this client believes it prepared cannot run as it is: its result columns
 * changed under it (a migration altered the table: 0A000), or the server no longer has it (someone
 * ran DEALLOCATE ALL or DISCARD ALL on the session, as a pooler's reset does: 26000).
 */
function staleStatement(error: unknown): 'changed' | 'gone' | null {
  const e = error as { code?: string; message?: string } | null;
  if (e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) return 'changed';
  if (e?.code === '26000') return 'gone';
  return null;
}

/** node-postgres's own record of the statements it parsed on a connection: it sends only Bind and Execute for those. */
function parsedStatements(client: pg.Client): Record<string, string> {
  return (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
}

function config(statement: Statement, named: boolean): pg.QueryConfig {
  return named
    ? { name: statementName(statement.text), text: statement.text, values: statement.values }
    : { text: statement.text, values: statement.values };
}

/**
 * One statement on one client; a prepared one whose server-side statement went stale is dropped
 * there and prepared afresh, so it fails once per connection, not on every later use.
 */
async function queryOn<T extends object>(client: pg.Client, statement: Statement): Promise<T[]> {
  try {
    return (await client.query<T>(config(statement, statement.prepare))).rows;
  } catch (error) {
    const stale = statement.prepare ? staleStatement(error) : null;
    if (!stale) throw error;
    // The statement failed before it ran (outside any transaction), so running it again is safe.
    const name = statementName(statement.text);
    if (stale === 'changed') await client.query(`DEALLOCATE "${name}"`);
    // pg must forget it too, or it would skip the Parse and send the old name again.
    delete parsedStatements(client)[name];
    return (await client.query<T>(config(statement, true))).rows;
  }
}

/** Runs one statement on the pool, in one round trip, and returns its rows. */
export async function runStatement<T extends object>(db: Database, statement: Statement): Promise<T[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withPooledClient(db, (client) => queryOn<T>(client, statement));
    } catch (error) {
      if (attempt < RETRIES && mayRetry(error, statement)) continue;
      throw error;
    }
  }
}

const QUERY_CANCELED = '57014';

/**
 * Runs a read, but gives up after `budgetMs` (the server stops it: SET LOCAL statement_timeout in
 * a transaction of its own, so the limit ends with it; no parallel workers). Null when it ran out of time: the caller
 * falls back to an estimate. Three round trips, so it is for answers worth waiting a moment for
 * (an exact total), never for a page. Retried on a dropped connection like runStatement's reads.
 */
export async function runTimeBoxed<T extends object>(db: Database, statement: Statement, budgetMs: number): Promise<T[] | null> {
  const milliseconds = Math.max(1, Math.round(budgetMs));
  for (let attempt = 0; ; attempt++) {
    try {
      return await withPooledClient(db, async (client) => {
        // BEGIN inside the try: whatever fails after it, the transaction (and the time limit) ends
        // here, never goes back to the pool open or aborted for the next request to trip on.
        try {
          // No parallel workers: a count that runs out of its time box then ends alone, with no
          // "terminating background worker" noise in the server's log; and on a small or busy
          // server workers cost more than they save in 150 ms (1,000,000 users: about 50 ms
          // serial against 140 to 270 with two workers; "owns some products": 70 to 140 against
          // 400 to 800, measured on two cores).
          await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${milliseconds}; SET LOCAL max_parallel_workers_per_gather = 0`);
          const { rows } = await client.query<T>(config(statement, false));
          await client.query('COMMIT');
          return rows;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {
            // Not even ROLLBACK works: Sequelize's own mark for a broken connection, so the pool
            // destroys it rather than hand it out again.
            (client as unknown as { _invalid: boolean })._invalid = true;
          });
          if ((error as { code?: string } | null)?.code === QUERY_CANCELED) return null;
          throw error;
        }
      });
    } catch (error) {
      if (attempt < RETRIES && mayRetry(error, { ...statement, write: false })) continue;
      throw error;
    }
  }
}
