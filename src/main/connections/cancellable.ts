import pg from 'pg';
import { QueryTypes, Transaction } from 'sequelize';
import { directClientConfig, type Database } from '../db/connect';
import type { ConnectionTarget } from '../db/target';

export type CancellableQuery = <T extends object>(sql: string, bind?: unknown[]) => Promise<T[]>;

export interface CancellableOptions {
  /** One snapshot for every statement: what a multi-step read needs to add up exactly. */
  repeatableRead?: boolean;
  readOnly?: boolean;
}

const QUERY_CANCELED = '57014';

function sqlState(error: unknown): string | undefined {
  const e = error as { parent?: { code?: string }; original?: { code?: string }; code?: string } | null;
  return e?.parent?.code ?? e?.original?.code ?? e?.code;
}

/**
 * Asks the server to cancel what backend `pid` is running, over a connection of its own: never
 * through the pool, which may be full of the very work being cancelled (a cancel waiting for a
 * pooled connection would wait for the work to finish).
 */
export async function cancelBackend(target: ConnectionTarget, pid: number): Promise<void> {
  const client = new pg.Client(directClientConfig(target, { applicationName: 'simple-db (cancel)', connectTimeoutMs: 5_000 }));
  client.on('error', () => undefined); // a server that drops it mid-way has nothing left to cancel
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs `work` in one transaction on one connection of the pool, and lets `signal` stop it on the
 * server: an abort while a statement runs sends pg_cancel_backend for that connection's backend,
 * so the statement stops there too instead of running on after we stop waiting. The cancel is
 * settled before the transaction rolls back and its connection returns to the pool, so it can
 * never hit the next user of that connection. Throws an AbortError.
 */
export async function withCancellableTransaction<T>(
  db: Database,
  signal: AbortSignal,
  work: (query: CancellableQuery) => Promise<T>,
  options: CancellableOptions = {},
): Promise<T> {
  signal.throwIfAborted();
  const { sequelize } = db;
  try {
    return await sequelize.transaction(
      options.repeatableRead ? { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ } : {},
      async (transaction) => {
        if (options.readOnly) await sequelize.query('SET TRANSACTION READ ONLY', { transaction });
        const [backend] = await sequelize.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', { type: QueryTypes.SELECT, transaction });
        let inFlight = 0;
        // A holder object, so the compiler does not assume the abort listener never sets it.
        const pending: { cancel: Promise<void> | null } = { cancel: null };
        const onAbort = () => {
          // Between statements there is nothing to cancel: the next one is never sent.
          if (inFlight > 0) pending.cancel = cancelBackend(db.target, backend!.pid).catch(() => undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const query: CancellableQuery = async <R extends object>(sql: string, bind: unknown[] = []) => {
            signal.throwIfAborted();
            inFlight++;
            try {
              return await sequelize.query<R>(sql, { bind, type: QueryTypes.SELECT, transaction });
            } finally {
              inFlight--;
            }
          };
          const result = await work(query);
          signal.throwIfAborted();
          return result;
        } finally {
          signal.removeEventListener('abort', onAbort);
          await pending.cancel;
        }
      },
    );
  } catch (error) {
    if (signal.aborted && (sqlState(error) === QUERY_CANCELED || (error as Error).name === 'AbortError')) {
      throw new DOMException('Cancelled', 'AbortError');
    }
    throw error;
  }
}
