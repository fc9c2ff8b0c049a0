import { sizeText } from '../../../shared/size-text';
import type { BackupEntry, BackupFormat, BackupOptions, Job } from '../../../shared/contract';

const numberFormat = new Intl.NumberFormat('en-US');

/** Grouped, so big row counts read at a glance: 12,000. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

export { sizeText };

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * A moment in the admin's own time zone (backups are files on their machine, named and scheduled
 * in local time), written the way backup file names are: "2025-03-12 14:05", 24-hour whatever the
 * locale. Every time on the Backups screen goes through here.
 */
export function localTimeText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The admin's time zone as the system names it ("Europe/Berlin"), which local times are in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

/** "2025-03-12 02:00 (Europe/Berlin)": a local time that says which zone it is in. */
export function localTimeWithZoneText(iso: string): string {
  return `${localTimeText(iso)} (${localTimeZone()})`;
}

export const FORMAT_LABELS: Record<BackupFormat, string> = {
  custom: 'Custom',
  plain: 'Plain SQL',
  directory: 'Directory',
};

const KIND_LABELS = {
  manual: 'Manual',
  scheduled: 'Scheduled',
  safety: 'Safety',
  'pre-migration': 'Pre-migration',
} as const;

/** Who made it; a file dropped into the folder by hand has no manifest to say. */
export function kindText(entry: BackupEntry): string {
  return entry.manifest ? KIND_LABELS[entry.manifest.kind] : 'No manifest';
}

/** Tables named in a partial backup's tag; more are counted ("only 5 tables") and named in its tooltip. */
const PARTIAL_TABLES_NAMED = 2;

/**
 * What a backup leaves out, from the options it was taken with: "partial: only public.users",
 * "schema only", "data only". Empty for a whole database (or a file without a manifest).
 */
export function partialTags(options: BackupOptions | undefined): { text: string; title: string }[] {
  if (!options) return [];
  const tags: { text: string; title: string }[] = [];
  const { tables, content } = options;
  if (tables.length > 0) {
    const named = tables.length <= PARTIAL_TABLES_NAMED ? tables.join(', ') : `${formatNumber(tables.length)} tables`;
    tags.push({ text: `partial: only ${named}`, title: `Holds only ${tables.join(', ')}: the other tables are not in this backup.` });
  }
  if (content === 'schema') tags.push({ text: 'schema only', title: 'Table definitions without their rows.' });
  if (content === 'data') tags.push({ text: 'data only', title: 'Rows without the tables’ definitions: it cannot create the tables.' });
  return tags;
}

/** "e2e_1a2b-2025-03-12_140512.dump" in pieces that end at - _ or .: where a long name may wrap. */
export function namePieces(name: string): string[] {
  return name.split(/(?<=[-_.])/);
}

/** `public.users` reads as "users": most databases keep everything in public. */
export function shortTableName(name: string): string {
  return name.startsWith('public.') ? name.slice('public.'.length) : name;
}

/** "users 2,000 · products 4,000" from the manifest's counts (in the snapshot pg_dump read), at most `limit` tables named. */
export function rowCountsText(rowCounts: Record<string, number>, limit = Infinity): string {
  const entries = Object.entries(rowCounts);
  if (entries.length === 0) return 'No table rows';
  const named = entries.slice(0, limit).map(([table, rows]) => `${shortTableName(table)} ${formatNumber(rows)}`);
  if (entries.length > limit) named.push(`+ ${entries.length - limit} more`);
  return named.join(' · ');
}

/** "Dumping table users · 412 of 1,000 rows · detail": what a running job reports, in one line. */
export function progressText(job: Job): string {
  const progress = job.progress;
  if (!progress) return 'Starting…';
  const done = formatNumber(progress.done);
  const amount =
    progress.unit === 'bytes'
      ? progress.total === null
        ? sizeText(progress.done)
        : `${sizeText(progress.done)} of ${sizeText(progress.total)}`
      : progress.total === null
        ? `${done} ${progress.unit}`
        : `${done} of ${formatNumber(progress.total)} ${progress.unit}`;
  const parts = [progress.phase, progress.done > 0 || progress.total !== null ? amount : null, progress.message ?? null];
  return parts.filter((part): part is string => Boolean(part)).join(' · ');
}

const CONTENT_LABELS = { all: 'everything', schema: 'schema only', data: 'data only' } as const;

/** "Custom format · everything · all tables": what one click on "Back up now" will use. */
export function optionsSummary(options: BackupOptions): string {
  const parts = [`${FORMAT_LABELS[options.format]} format`, CONTENT_LABELS[options.content]];
  parts.push(options.tables.length === 0 ? 'all tables' : `only ${options.tables.map(shortTableName).join(', ')}`);
  if (options.format === 'directory') parts.push(`${options.jobs} parallel ${options.jobs === 1 ? 'job' : 'jobs'}`);
  if (options.compression !== null && options.format !== 'plain') parts.push(`compression ${options.compression}`);
  if (options.noOwner) parts.push('no owner');
  if (options.noPrivileges) parts.push('no privileges');
  return parts.join(' · ');
}
