import type { BackupEntry, BackupFormat, BackupOptions, Job } from '../../../shared/contract';

const numberFormat = new Intl.NumberFormat('en-US');
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Grouped, so big row counts read at a glance: 12,000. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "812 bytes", "4.2 kB", "12.3 MB", "1.4 GB" (binary steps, as the backend's job summaries count them). */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['kB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${oneDecimal.format(value)} ${units[unit] ?? 'TB'}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * A moment in the admin's own time zone (backups are files on their machine, named and scheduled
 * in local time), written the way backup file names are: "2025-03-12 14:05".
 */
export function localTimeText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
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
