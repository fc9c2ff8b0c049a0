import type { SortDirection, SortKey } from '../../shared/contract';
import { INT4_MAX, sortDirectionSchema, sortKeySchema } from '../../shared/contract';
import { AppError } from '../errors/app-error';

/** Where the previous page ended: the sort column's value and the id that breaks ties. */
export interface Cursor {
  sort: SortKey;
  direction: SortDirection;
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

function isRowId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= INT4_MAX;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]` naming a moment that exists (no February 30th, no hour 24). */
function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

/** Whether `value` can be a value of the sort column: a forged one must never reach PostgreSQL. */
function fitsColumn(sort: SortKey, value: unknown): boolean {
  switch (sort) {
    case 'id':
      return isRowId(value);
    case 'email':
    case 'name':
      // Any text a row can hold (other tools may have stored longer values than our forms allow).
      return typeof value === 'string' && !value.includes('\0');
    case 'created_at':
      return isTimestamp(value);
  }
}

/**
 * Reads back a cursor and checks every part of it, so a cursor that was tampered with (or comes
 * from another sort or search) is a VALIDATION error, never a database error.
 */
export function decodeCursor(text: string, expected: Pick<Cursor, 'sort' | 'direction' | 'search'>): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalid();
  const [sort, direction, search, value, id] = parsed as unknown[];
  if (!sortKeySchema.safeParse(sort).success || !sortDirectionSchema.safeParse(direction).success) throw invalid();
  if (sort !== expected.sort || direction !== expected.direction || search !== expected.search) throw invalid();
  if (!isRowId(id) || !fitsColumn(expected.sort, value)) throw invalid();
  return { sort: expected.sort, direction: expected.direction, search: expected.search, value: value as string | number, id };
}
