const WALL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/;
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * `created_at` is a `timestamp without time zone` holding UTC wall time, so it is shown exactly as
 * stored and labelled UTC. Going through `Date` would shift it into the admin's local zone.
 * A value that does carry a zone (defensive) is converted to UTC first.
 */
export function formatUtcTimestamp(iso: string): string {
  let text = iso.trim();
  if (HAS_ZONE.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) text = date.toISOString();
  }
  const match = WALL_TIME.exec(text);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
