import type { ExportResult, ImportMode, Total } from '../../../shared/contract';
import { sizeText } from '../../../shared/size-text';
import { countOf, formatNumber } from '../../lib/format/count';

/** Which table a transfer moves rows of. */
export type TransferTable = 'users' | 'products';

const SINGULAR: Record<TransferTable, string> = { users: 'user', products: 'product' };

export function rowsOf(table: TransferTable, count: number): string {
  return countOf(count, SINGULAR[table]);
}

/**
 * "Export 1,204 matching users as CSV", "Export about 1,200 users as CSV": exactly what the list
 * shows (its search, filters and order), said as the list says its total.
 */
export function exportLabel(table: TransferTable, total: Total | null, narrowed: boolean): string {
  const matching = narrowed ? 'matching ' : '';
  if (!total) return `Export the ${matching}${table} as CSV`;
  const count = `${total.estimated ? 'about ' : ''}${formatNumber(total.count)}`;
  return `Export ${count} ${matching}${total.count === 1 ? SINGULAR[table] : table} as CSV`;
}

/** "users-2025-03-12.csv": what the save dialog offers and browser mode names the download. */
export function suggestedFileName(table: TransferTable, now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${table}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
}

/** "Exported 1,204 users (82.1 kB) — users-2025-03-12.csv" */
export function exportedText(table: TransferTable, result: ExportResult): string {
  return `Exported ${rowsOf(table, result.rows)} (${sizeText(result.bytes)}) — ${result.fileName}`;
}

/** The columns an import file must have, in words. */
export const EXPECTED_COLUMNS: Record<TransferTable, string> = {
  users: 'A header row naming the columns email and name, and optionally created_at (in any order).',
  products:
    'A header row naming the column name, and optionally owner_email or owner_id (empty: no owner); products are always added as new rows (an id column is ignored).',
};

/** Each import mode in a line; `update` only for users. */
export const MODE_CHOICES: Record<TransferTable, readonly { mode: ImportMode; label: string; explanation: string }[]> = {
  users: [
    { mode: 'reject', label: 'Reject the whole file on any bad line', explanation: 'Nothing is imported unless every line is good.' },
    { mode: 'skip', label: 'Skip bad lines', explanation: 'The good lines are imported; the bad ones are listed in the report.' },
    {
      mode: 'update',
      label: 'Update existing users matched by email',
      explanation: 'Update users whose email is already in the table (name, and created_at when given); any other bad line and nothing is written.',
    },
  ],
  products: [
    { mode: 'reject', label: 'Reject the whole file on any bad line', explanation: 'Nothing is imported unless every line is good.' },
    { mode: 'skip', label: 'Skip bad lines', explanation: 'The good lines are imported; the bad ones are listed in the report.' },
  ],
};
