import type { UserCountResult } from '../../shared/contract';
import { withCancellableTransaction } from '../connections/cancellable';
import type { Database } from '../db/connect';
import type { JobControl } from '../jobs/registry';
import { describeSelection, userSelection, type UserSelectionInput } from './selection';

/** Ranges of ids counted per statement: small enough for steady progress, big enough to be cheap. */
const MIN_CHUNK_IDS = 50_000;
const TARGET_CHUNKS = 50;

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Counts the users matching the search and filters exactly. It walks the id range (narrowed by an
 * id filter) in chunks, each an indexed range scan, so progress is real and a cancel stops the
 * statement running on the server. All chunks read one snapshot (REPEATABLE READ), so the sum is
 * exact as of the moment counting began, even while others write.
 */
export async function countUsersExactly(db: Database, input: UserSelectionInput, { signal, progress }: JobControl): Promise<UserCountResult> {
  const described = describeSelection(input);
  const phase = described.length ? `Counting users ${described.join(', ')}` : 'Counting users';
  // Refuses a malformed id or domain search before any work starts.
  userSelection(input);
  progress({ phase, done: 0, total: null, unit: 'ids' });
  const count = await withCancellableTransaction(
    db,
    signal,
    async (query) => {
      const [range] = await query<{ min: number | null; max: number | null }>('SELECT min(id) AS min, max(id) AS max FROM users');
      if (range?.min == null || range.max == null) return 0;
      const first = Math.max(Number(range.min), input.filters.idFrom ?? 1);
      const last = Math.min(Number(range.max), input.filters.idTo ?? Number(range.max));
      if (first > last) return 0;
      const span = last - first + 1;
      const chunk = Math.max(MIN_CHUNK_IDS, Math.ceil(span / TARGET_CHUNKS));
      let total = 0;
      for (let from = first; from <= last; from += chunk) {
        const to = Math.min(from + chunk - 1, last);
        const bind: unknown[] = [from, to];
        const { conditions } = userSelection(input, bind);
        const [row] = await query<{ count: string }>(
          `SELECT count(*) AS count FROM users WHERE ${['id BETWEEN $1 AND $2', ...conditions].join(' AND ')}`,
          bind,
        );
        total += Number(row?.count ?? 0);
        progress({ phase, done: to - first + 1, total: span, unit: 'ids', message: `${numberFormat.format(total)} found so far` });
      }
      return total;
    },
    { repeatableRead: true, readOnly: true },
  );
  return { count, search: input.search };
}

/** The job's title, also how a second request for the same count finds the running one. */
export function countTitle(input: UserSelectionInput): string {
  const described = describeSelection(input);
  return described.length ? `Count users ${described.join(', ')}` : 'Count all users';
}

export function countSummary(count: number, input: UserSelectionInput): string {
  const users = `${numberFormat.format(count)} ${count === 1 ? 'user' : 'users'}`;
  const described = describeSelection(input);
  if (!described.length) return `${users} in all.`;
  // "1,000 users match “needle”." reads better than "users matching" in a sentence of its own.
  const [first, ...rest] = described;
  const lead = first!.startsWith('matching ') ? `${count === 1 ? 'matches' : 'match'} ${first!.slice('matching '.length)}` : first!;
  return `${users} ${[lead, ...rest].join(', ')}.`;
}
