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
