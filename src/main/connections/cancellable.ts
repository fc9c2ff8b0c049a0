import { QueryTypes, Transaction } from 'sequelize';
import type { Database } from '../db/connect';

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
 * Runs `work` in one transaction on one connection of the pool, and lets `signal` stop it on the
 * server: an abort sends pg_cancel_backend for that connection's backend (over another connection
 * of the same pool), so the statement stops there too instead of running on after we stop waiting.
 * The transaction then rolls back and the connection returns to the pool. Throws an AbortError.
 */
export async function withCancellableTransaction<T>(
  db: Database,
  signal: AbortSignal,
  work: (query: CancellableQuery) => Promise<T>,
  options: CancellableOptions = {},
): Promise<T> {
  signal.throwIfAborted();
  const { sequelize } = db;
  // Set by the abort listener; a holder object, so the compiler does not assume it stays null.
  const pending: { cancel: Promise<unknown> | null } = { cancel: null };
  try {
    return await sequelize.transaction(
      options.repeatableRead ? { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ } : {},
      async (transaction) => {
        if (options.readOnly) await sequelize.query('SET TRANSACTION READ ONLY', { transaction });
        const [backend] = await sequelize.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', { type: QueryTypes.SELECT, transaction });
        const onAbort = () => {
          pending.cancel = sequelize.query('SELECT pg_cancel_backend($1)', { bind: [backend!.pid], type: QueryTypes.SELECT }).catch(() => undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const query: CancellableQuery = async <R extends object>(sql: string, bind: unknown[] = []) => {
            signal.throwIfAborted();
            return sequelize.query<R>(sql, { bind, type: QueryTypes.SELECT, transaction });
          };
          const result = await work(query);
          signal.throwIfAborted();
          return result;
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      },
    );
  } catch (error) {
    if (signal.aborted && (sqlState(error) === QUERY_CANCELED || (error as Error).name === 'AbortError')) {
      throw new DOMException('Cancelled', 'AbortError');
    }
    throw error;
  } finally {
    // Never leave a cancel request in flight to hit whatever that backend runs next.
    await pending.cancel;
  }
}
