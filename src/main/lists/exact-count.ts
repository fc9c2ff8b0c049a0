import { withCancellableTransaction } from '../connections/cancellable';
import type { Database } from '../db/connect';
import type { JobControl } from '../jobs/registry';
import { whereClause, type ListSpec, type Selection } from './keyset';

/** Ranges of ids counted per statement: small enough for steady progress, big enough to be cheap. */
const MIN_CHUNK_IDS = 50_000;
const TARGET_CHUNKS = 50;

const numberFormat = new Intl.NumberFormat('en-US');

export interface ExactCountRequest {
  /** The search and filters as conditions, binding their values after the ones given (the chunk's id range). */
  select: (values: unknown[]) => Selection;
  /** Bounds an id filter puts on the range worth walking. */
  idFrom?: number | undefined;
  idTo?: number | undefined;
  /** What the job's progress says it does: "Counting products matching “lamp”". */
  phase: string;
}

/**
 * "Count exactly" for a list, as a job: the rows matching the search and filters, counted by
 * walking the id range in chunks, each an indexed range scan, so progress is real and a cancel
 * stops the statement running on the server. All chunks read one snapshot (REPEATABLE READ), so
 * the sum is exact as of the moment counting began, even while others write.
 */
export async function countExactly(
  db: Database,
  spec: ListSpec<{ id: number }, string>,
  request: ExactCountRequest,
  { signal, progress }: JobControl,
): Promise<number> {
  // Refuses a malformed search (an id that is not one) before any work starts.
  request.select([]);
  const { phase } = request;
  progress({ phase, done: 0, total: null, unit: 'ids' });
  return withCancellableTransaction(
    db,
    signal,
    async (query) => {
      const [range] = await query<{ min: number | null; max: number | null }>(
        `SELECT min(${spec.id}) AS min, max(${spec.id}) AS max FROM ${spec.countFrom}`,
      );
      if (range?.min == null || range.max == null) return 0;
      const first = Math.max(Number(range.min), request.idFrom ?? 1);
      const last = Math.min(Number(range.max), request.idTo ?? Number(range.max));
      if (first > last) return 0;
      const span = last - first + 1;
      const chunk = Math.max(MIN_CHUNK_IDS, Math.ceil(span / TARGET_CHUNKS));
      let total = 0;
      for (let from = first; from <= last; from += chunk) {
        const to = Math.min(from + chunk - 1, last);
        const values: unknown[] = [from, to];
        const { conditions } = request.select(values);
        const [row] = await query<{ count: string }>(
          `SELECT count(*) AS count FROM ${spec.countFrom}${whereClause([`${spec.id} BETWEEN $1 AND $2`, ...conditions])}`,
          values,
        );
        total += Number(row?.count ?? 0);
        progress({ phase, done: to - first + 1, total: span, unit: 'ids', message: `${numberFormat.format(total)} found so far` });
      }
      return total;
    },
    { repeatableRead: true, readOnly: true },
  );
}

/** A count job's title, also how a second request for the same count finds the running one: "Count users matching “ann”". */
export function countJobTitle(noun: { many: string }, described: string[]): string {
  return described.length ? `Count ${noun.many} ${described.join(', ')}` : `Count all ${noun.many}`;
}

/** A count job's summary: "1,000 users match “needle”, created 2024-01-01 to 2024-12-31." or "12 products in all." */
export function countJobSummary(count: number, noun: { one: string; many: string }, described: string[]): string {
  const counted = `${numberFormat.format(count)} ${count === 1 ? noun.one : noun.many}`;
  if (!described.length) return `${counted} in all.`;
  // "1,000 users match “needle”." reads better than "users matching" in a sentence of its own.
  const [first, ...rest] = described;
  const lead = first!.startsWith('matching ') ? `${count === 1 ? 'matches' : 'match'} ${first!.slice('matching '.length)}` : first!;
  return `${counted} ${[lead, ...rest].join(', ')}.`;
}
