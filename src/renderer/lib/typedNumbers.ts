/**
 * Numbers as an admin types or pastes them into Go to, the ID search and the owner picker: one set
 * of rules for every field, so "#42" or "1,000" is read the same everywhere.
 *
 * - An id or a row number is whole. Its digits may be grouped by thousands with one kind of
 *   separator: ",", ".", "_", a space or a no-break space (also the narrow one French formatting uses) ("1,000", "1.000.000", "500 000",
 *   "500_000"); groups after the first are exactly three digits, so "1,5" or "12.34" is refused
 *   rather than guessed at. An id may start with "#" ("#42", "# 42").
 * - A percentage is 0 to 100 with at most two decimals after "." or "," ("50%", "12.5 %",
 *   "12,5%"). "1,000%" is refused, not read as 1%. Everything else (signs, exponents, "0x10",
 *   "Infinity") is refused: nothing goes through `Number()`'s own reading of text.
 */

/** The largest id an integer column holds: beyond it nothing can be found. */
export const ID_MAX = 2_147_483_647;

const GROUPED = /^(\d{1,3})((?:([,._ \u00a0\u202f])\d{3})(?:\3\d{3})*)$/;

/** A whole number ("500000", "500,000", "1.000.000"), or null when the text is not one. */
export function parseWholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const grouped = GROUPED.exec(trimmed);
  if (!grouped) return null;
  return Number(trimmed.replace(/[,._ \u00a0\u202f]/g, ''));
}

/** An id: a whole number, "#" before it allowed ("#42", "#1,000"). Null when the text is not one (the range is the caller's). */
export function parseIdText(text: string): number | null {
  return parseWholeNumber(text.trim().replace(/^#\s*/, ''));
}

/**
 * A percentage: "50%", "12.5 %", "12,5%" (the "%" required when `signRequired`), as a number from
 * 0 to 100; null when it is not one (over 100, more than two decimals, a grouped number).
 */
export function parsePercent(text: string, { signRequired }: { signRequired: boolean }): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*(%?)$/.exec(text.trim());
  if (!match?.[1] || (signRequired && match[3] !== '%')) return null;
  const value = Number(`${match[1]}.${match[2] ?? '0'}`);
  return value <= 100 ? value : null;
}

/** Whether the text looks like a percentage at all (ends in "%"), to say what is wrong with it. */
export function looksLikePercent(text: string): boolean {
  return text.trim().endsWith('%');
}
