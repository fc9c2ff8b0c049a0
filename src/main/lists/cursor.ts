import crypto from 'node:crypto';
import { INT4_MAX } from '../../shared/contract';
import { AppError } from '../errors/app-error';

/** What a sort key holds, so a cursor's value is checked against the column it will be compared with. */
export type KeyKind = 'int' | 'text' | 'timestamp';

/**
 * Where a page boundary sits in one order: the sort key's value and the id that breaks ties, and
 * whether the row exactly there belongs to the page (`at` cursors from locate, the row itself) or
 * not (Next and Previous start just past it).
 */
export interface CursorPosition {
  value: string | number;
  /** 0 and INT4_MAX are allowed: "before every id" and "after every id" of a value (a located prefix or date). */
  id: number;
  inclusive: boolean;
}

/**
 * Everything a cursor is only valid for: the list, its sort and direction, and the search and
 * filters. A cursor carries a hash of it, so one from another order or search is refused instead
 * of landing somewhere meaningless.
 */
export interface CursorScope {
  list: string;
  sort: string;
  direction: 'asc' | 'desc';
  selection: unknown;
}

export type CursorField = 'after' | 'before' | 'at';

/** JSON with object keys sorted, so equal scopes hash alike whatever order their keys were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// A page reads its cursor and writes up to two with one scope object: hashed once.
const hashes = new WeakMap<CursorScope, string>();

function scopeHash(scope: CursorScope): string {
  let hash = hashes.get(scope);
  if (hash === undefined) {
    hash = crypto.createHash('sha256').update(canonical(scope)).digest('base64url').slice(0, 16);
    hashes.set(scope, hash);
  }
  return hash;
}

/** Opaque to the window: it only hands back what an answer gave it. */
export function encodeCursor(scope: CursorScope, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([scopeHash(scope), position.value, position.id, position.inclusive ? 1 : 0])).toString('base64url');
}

export function invalidCursor(field: CursorField): AppError {
  return new AppError('VALIDATION', 'The page cursor is not valid (it may be from another sort, search or filter). Go back to the first page.', {
    field,
  });
}

function isKeyId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= INT4_MAX;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]` naming a moment that exists (no February 30th, no hour 24). */
export function isTimestamp(value: unknown): value is string {
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

/** Whether `value` can be a value of a key of this kind: a forged one must never reach PostgreSQL. */
export function fitsKey(kind: KeyKind, value: unknown): value is string | number {
  switch (kind) {
    case 'int':
      return isKeyId(value);
    case 'text':
      // Any text a row can hold (other tools may have stored longer values than our forms allow).
      return typeof value === 'string' && !value.includes('\0');
    case 'timestamp':
      return isTimestamp(value);
  }
}

/**
 * Reads back a cursor and checks every part of it, so one that was tampered with, or comes from
 * another sort, search or filter, is a VALIDATION error on the field it came in, never a database
 * error.
 */
export function decodeCursor(text: string, scope: CursorScope, kind: KeyKind, field: CursorField): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(field);
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalidCursor(field);
  const [hash, value, id, inclusive] = parsed as unknown[];
  if (hash !== scopeHash(scope)) throw invalidCursor(field);
  if (!isKeyId(id) || !fitsKey(kind, value) || (inclusive !== 0 && inclusive !== 1)) throw invalidCursor(field);
  return { value, id, inclusive: inclusive === 1 };
}
