import type { RecordFields } from './csv-import';

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(\.\d{1,6})?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A `timestamp` (without time zone, like the column, which the app shows as UTC) as an export
 * writes it or a person or another tool types it: `2024-05-31`, `2024-05-31 14:03`,
 * `2024-05-31T14:03:00.123456`, and with a zone (`Z`, `+02:00`), which is turned into UTC. Checked
 * here, with the day that exists in that month, so COPY never fails halfway on a value we let
 * through. Returns null when the column is absent or empty, undefined when the value is bad
 * (reported).
 */
export function checkedTimestamp(fields: RecordFields, column: string): string | null | undefined {
  const raw = fields.get(column)?.trim() ?? '';
  if (!raw) return null;
  const match = TIMESTAMP.exec(raw);
  if (match) {
    const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match;
    const parts = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
    const local = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
    local.setUTCFullYear(parts[0]); // Date.UTC reads years 0–99 as 1900–1999
    const exists =
      local.getUTCFullYear() === parts[0] &&
      local.getUTCMonth() === parts[1] - 1 &&
      local.getUTCDate() === parts[2] &&
      local.getUTCHours() === parts[3] &&
      local.getUTCMinutes() === parts[4] &&
      local.getUTCSeconds() === parts[5];
    if (exists && parts[0] >= 1) {
      if (!zone) return raw;
      const utc = new Date(local.getTime() - zoneOffsetMinutes(zone) * 60_000);
      return `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${fraction}`;
    }
  }
  fields.problem(column, `${column} must be a date and time like 2024-05-31T14:03:00 (UTC, or with a zone like +02:00), or empty.`);
  return undefined;
}

/** `Z`, `+02`, `+0200`, `-05:30` as minutes east of UTC. */
function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return zone.startsWith('-') ? -minutes : minutes;
}
