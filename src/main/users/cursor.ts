import { AppError } from '../api/app-error';
import type { SortKey } from '../../shared/contract';

/** Where the previous page ended: the sort column's value and the id that breaks ties. */
export interface Cursor {
  sort: SortKey;
  direction: 'asc' | 'desc';
  search: string;
  value: string | number;
  id: number;
}

/** Opaque to the renderer: it only hands back what the last page gave it. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.direction, cursor.search, cursor.value, cursor.id])).toString('base64url');
}

const invalid = () =>
  new AppError('VALIDATION', 'The page cursor is not valid (it may be from another sort or search). Go back to the first page.', { field: 'after' });

export function decodeCursor(text: string, expected: Pick<Cursor, 'sort' | 'direction' | 'search'>): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalid();
  const [sort, direction, search, value, id] = parsed as unknown[];
  if (sort !== expected.sort || direction !== expected.direction || search !== expected.search) throw invalid();
  if (!Number.isInteger(id) || (typeof value !== 'string' && typeof value !== 'number')) throw invalid();
  if (sort === 'created_at' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(String(value))) throw invalid();
  return { sort, direction, search, value, id: id as number } as Cursor;
}
