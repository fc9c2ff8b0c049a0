import type { UserDeleteManyResult } from '../../shared/contract';
import { withCancellableTransaction, type CancellableQuery } from '../connections/cancellable';
import type { Database } from '../db/connect';
import { adjustEstimate } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import type { JobControl } from '../jobs/registry';
import { selectedUsersStatement, type BulkSelection } from './service';
import { describeSelection, userSelection } from './selection';

/** Ids per statement when ticked rows are deleted. */
const IDS_PER_CHUNK = 1_000;
/** Id ranges per statement for "all matching": small enough for steady progress, big enough to be cheap. */
const MIN_CHUNK_IDS = 10_000;
const TARGET_CHUNKS = 50;

const numberFormat = new Intl.NumberFormat('en-US');
const users = (n: number) => `${numberFormat.format(n)} ${n === 1 ? 'user' : 'users'}`;
const products = (n: number) => `${numberFormat.format(n)} ${n === 1 ? 'product' : 'products'}`;

/** The selection no longer holds what the admin reviewed: nothing is (or stays) deleted. */
export function changedSelection(now: number, expected: number): AppError {
  return new AppError(
    'CONFLICT',
    `${users(now)} ${now === 1 ? 'matches' : 'match'} now, not ${numberFormat.format(expected)} as when you reviewed the deletion (someone changed them meanwhile). Nothing was deleted: review the selection and try again.`,
    { field: 'expectedUsers' },
  );
}

export function deleteManyTitle(selection: BulkSelection, expected: number): string {
  if (selection.kind === 'ids') return `Delete ${users(expected)}`;
  const parts = describeSelection(selection);
  return parts.length ? `Delete ${users(expected)} ${parts.join(', ')}` : `Delete all ${users(expected)}`;
}

export function deleteManySummary({ deleted, productsUnowned }: UserDeleteManyResult): string {
  return `Deleted ${users(deleted)}; ${productsUnowned ? `${products(productsUnowned)} no longer ${productsUnowned === 1 ? 'has an owner' : 'have an owner'}` : 'no product lost its owner'}.`;
}

/** One chunk deleted, with the products it un-parented (read as the statement began, before ON DELETE SET NULL). */
async function deleteChunk(query: CancellableQuery, where: string, values: unknown[]): Promise<{ deleted: number; unowned: number }> {
  const [row] = await query<{ deleted: number; unowned: number }>(
    `WITH gone AS (DELETE FROM users WHERE ${where} RETURNING id)
     SELECT count(*)::int AS deleted, (SELECT count(*)::int FROM products WHERE owner_id IN (SELECT id FROM gone)) AS unowned FROM gone`,
    values,
  );
  return { deleted: row?.deleted ?? 0, unowned: row?.unowned ?? 0 };
}

/**
 * Deletes the selected users all or nothing: one transaction, in chunks (ticked ids a thousand at
 * a time, or "all matching" by id range) so progress is real and a cancel stops the statement on
 * the server, after which everything rolls back. If the number deleted is not the number the
 * admin reviewed (`expected`), someone changed the selection meanwhile: CONFLICT, rolled back.
 * `checked`: the caller already counted the selection against `expected` (else the job does first).
 */
export async function deleteUsers(
  db: Database,
  selection: BulkSelection,
  expected: number,
  { signal, progress }: JobControl,
  options: { checked?: boolean } = {},
): Promise<UserDeleteManyResult> {
  const phase = 'Deleting users';
  const result = await withCancellableTransaction(db, signal, async (query) => {
    if (!options.checked) {
      // The caller could not tell quickly whether the selection still holds the reviewed number:
      // a count first (cancellable like the rest), so a changed selection is refused before a
      // single row is deleted rather than after all of them were, and rolled back.
      progress({ phase: 'Checking the selection', done: 0, total: expected, unit: 'rows' });
      const check = selectedUsersStatement(selection);
      const [row] = await query<{ users: number }>(check.text, check.values);
      const now = row?.users ?? 0;
      if (now !== expected) throw changedSelection(now, expected);
    }
    progress({ phase, done: 0, total: expected, unit: 'rows' });
    let deleted = 0;
    let productsUnowned = 0;
    const step = async (where: string, values: unknown[]) => {
      const chunk = await deleteChunk(query, where, values);
      deleted += chunk.deleted;
      productsUnowned += chunk.unowned;
      // Past the reviewed number already: no need to go on before refusing.
      if (deleted > expected) throw changedSelection(deleted, expected);
      progress({ phase, done: deleted, total: expected, unit: 'rows', message: `${products(productsUnowned)} un-owned so far` });
    };
    if (selection.kind === 'ids') {
      const ids = [...new Set(selection.ids)].sort((a, b) => a - b);
      for (let i = 0; i < ids.length; i += IDS_PER_CHUNK) await step('id = ANY($1::int[])', [ids.slice(i, i + IDS_PER_CHUNK)]);
    } else {
      const [range] = await query<{ min: number | null; max: number | null }>('SELECT min(id) AS min, max(id) AS max FROM users');
      if (range?.min != null && range.max != null) {
        const first = Math.max(range.min, selection.filters.idFrom ?? range.min);
        const last = Math.min(range.max, selection.filters.idTo ?? range.max);
        const chunk = Math.max(MIN_CHUNK_IDS, Math.ceil((last - first + 1) / TARGET_CHUNKS));
        for (let from = first; from <= last; from += chunk) {
          const values: unknown[] = [from, Math.min(from + chunk - 1, last)];
          const { conditions } = userSelection(selection, values, 'selection.search');
          await step(['id BETWEEN $1 AND $2', ...conditions].join(' AND '), values);
        }
      }
    }
    if (deleted !== expected) throw changedSelection(deleted, expected);
    return { deleted, productsUnowned };
  });
  adjustEstimate(db, 'users', -result.deleted);
  return result;
}
