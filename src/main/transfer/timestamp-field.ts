import type { RecordFields } from './csv-import';

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,6})?)?)?$/;

/**
 * A `timestamp` (without time zone, like the column) as an export writes it or a person types it:
 * `2024-05-31`, `2024-05-31 14:03`, `2024-05-31T14:03:00.123456`. Checked here, with the day that
 * exists in that month, so COPY never fails halfway on a value we let through.
 * Returns null when the column is absent or empty, undefined when the value is bad (reported).
 */
export function checkedTimestamp(fields: RecordFields, column: string): string | null | undefined {
  const raw = fields.get(column)?.trim() ?? '';
  if (!raw) return null;
  const match = TIMESTAMP.exec(raw);
  if (match) {
    const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
    const same =
      date.getUTCFullYear() === Number(year) &&
      date.getUTCMonth() === Number(month) - 1 &&
      date.getUTCDate() === Number(day) &&
      date.getUTCHours() === Number(hour) &&
      date.getUTCMinutes() === Number(minute) &&
      date.getUTCSeconds() === Number(second);
    if (same && Number(year) >= 1) return raw;
  }
  fields.problem(column, `${column} must be a date and time like 2024-05-31T14:03:00 (or empty).`);
  return undefined;
}
