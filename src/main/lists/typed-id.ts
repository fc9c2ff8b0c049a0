import { INT4_MAX } from '../../shared/contract';
import { AppError } from '../errors/app-error';

/**
 * An id as an admin types or pastes it: "42", "#42", "500,000", "1.000.000", "1 000 000". Thousands
 * separators are only taken in groups of three (and one kind per number), so "1.5" or "12,34" is
 * refused rather than read as 15 or 1234, which would find some other row. The text is trimmed by
 * the contract already; the range is the caller's to check. Null when it is not a whole number.
 */
export function typedId(text: string): number | null {
  const digits = text.trim().replace(/^#\s*/, '');
  if (/^\d+$/.test(digits)) return Number(digits);
  if (/^\d{1,3}([,.\s_])\d{3}(?:\1\d{3})*$/u.test(digits)) return Number(digits.replace(/\D/g, ''));
  return null;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** The id an "id" search names (see typedId), within an integer column's range; VALIDATION on `field` otherwise. */
export function searchedId(search: string, noun: string, field: string): number {
  const id = typedId(search);
  if (id === null) throw new AppError('VALIDATION', `To search by id, type a ${noun} id: a whole number, like 42.`, { field });
  if (id < 1 || id > INT4_MAX) throw new AppError('VALIDATION', `A ${noun} id is between 1 and ${numberFormat.format(INT4_MAX)}.`, { field });
  return id;
}
