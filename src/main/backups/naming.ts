import type { BackupFormat } from '../../shared/contract/backups';

/** Beside every backup, its manifest: `<backup name>.manifest.json`. */
export const MANIFEST_SUFFIX = '.manifest.json';
/** What pg_dump writes into until the backup is proven good. */
export const PARTIAL_SUFFIX = '.partial';

const EXTENSIONS: Record<BackupFormat, string> = { custom: '.dump', plain: '.sql', directory: '.dir' };

/**
 * A database name made safe for a file name: a name may hold `/`, `..`, a leading `-` or
 * characters a file system refuses, so only letters, digits, `_`, `.` and `-` survive, and the name
 * never starts with `-` or `.`.
 */
export function fileSafeName(database: string): string {
  const safe = database
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[-._]+/, '')
    .slice(0, 100);
  return safe || 'database';
}

/** `yyyy-mm-dd_hhmmss` in local time: what the admin reads on their clock. */
export function timestampForFile(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** `<database>-<yyyy-mm-dd_hhmmss>.dump` (`.sql` plain, `.dir` directory); `-2`, `-3`… when taken. */
export function backupFileName(database: string, date: Date, format: BackupFormat, taken: (name: string) => boolean = () => false): string {
  const base = `${fileSafeName(database)}-${timestampForFile(date)}`;
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}${EXTENSIONS[format]}`;
    if (!taken(name) && !taken(`${name}${PARTIAL_SUFFIX}`)) return name;
  }
}
