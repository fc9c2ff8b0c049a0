import type { UserCountResult } from '../../shared/contract';
import { withCancellableTransaction } from '../connections/cancellable';
import type { Database } from '../db/connect';
import type { JobControl } from '../jobs/registry';
import { searchCondition } from './queries';

/** Ranges of ids counted per statement: small enough for steady progress, big enough to be cheap. */
const MIN_CHUNK_IDS = 50_000;
const TARGET_CHUNKS = 50;

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Counts the users matching `search` exactly. It walks the id range in chunks, each an indexed
 * range scan, so progress is real and a cancel stops the statement running on the server. All
 * chunks read one snapshot (REPEATABLE READ), so the sum is exact as of the moment counting began,
 * even while others write.
 */
export async function countUsersExactly(db: Database, search: string, { signal, progress }: JobControl): Promise<UserCountResult> {
  const phase = search ? `Counting users matching “${search}”` : 'Counting users';
  progress({ phase, done: 0, total: null, unit: 'ids' });
  const count = await withCancellableTransaction(
    db,
    signal,
    async (query) => {
      const [range] = await query<{ min: number | null; max: number | null }>('SELECT min(id) AS min, max(id) AS max FROM users');
      if (range?.min == null || range.max == null) return 0;
      const first = Number(range.min);
      const last = Number(range.max);
      const span = last - first + 1;
      const chunk = Math.max(MIN_CHUNK_IDS, Math.ceil(span / TARGET_CHUNKS));
      let total = 0;
      for (let from = first; from <= last; from += chunk) {
        const to = Math.min(from + chunk - 1, last);
        const bind: unknown[] = [from, to];
        const condition = searchCondition(search, bind);
        const [row] = await query<{ count: string }>(
          `SELECT count(*) AS count FROM users WHERE id BETWEEN $1 AND $2${condition ? ` AND ${condition}` : ''}`,
          bind,
        );
        total += Number(row?.count ?? 0);
        progress({ phase, done: to - first + 1, total: span, unit: 'ids', message: `${numberFormat.format(total)} found so far` });
      }
      return total;
    },
    { repeatableRead: true, readOnly: true },
  );
  return { count, search };
}

export function countSummary({ count, search }: UserCountResult): string {
  const users = `${numberFormat.format(count)} ${count === 1 ? 'user' : 'users'}`;
  return search ? `${users} match “${search}”.` : `${users} in all.`;
}
