import type { ApiError } from '../../../shared/errors';
import type { BackupFormat, BackupOptions } from '../../../shared/contract';

/** The options panel's fields as typed (numbers and the table list are text until checked). */
export interface OptionsForm {
  format: BackupFormat;
  jobs: string;
  /** '' leaves pg_dump's default. */
  compression: string;
  content: BackupOptions['content'];
  /** One `schema.table` per line. */
  tables: string;
  noOwner: boolean;
  noPrivileges: boolean;
}

export type OptionsField = 'jobs' | 'compression' | 'tables';
export type OptionsErrors = Partial<Record<OptionsField, string>>;

export function formFromOptions(options: BackupOptions): OptionsForm {
  return {
    format: options.format,
    jobs: String(options.jobs),
    compression: options.compression === null ? '' : String(options.compression),
    content: options.content,
    tables: options.tables.join('\n'),
    noOwner: options.noOwner,
    noPrivileges: options.noPrivileges,
  };
}

const QUALIFIED_TABLE = /^[^.\s]+\.[^.\s]+$/;

/** The table list: one per line, blank lines and surrounding spaces ignored, each named once. */
export function tablesOf(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()))].filter((line) => line !== '');
}

/**
 * The options to send, or what is wrong with the form (said at the field, before the backend is
 * asked). Compression is left out of plain SQL (pg_dump would gzip the file, which psql cannot
 * read back), and parallel jobs only matter to the directory format.
 */
export function optionsFromForm(form: OptionsForm): { ok: true; options: BackupOptions } | { ok: false; errors: OptionsErrors } {
  const errors: OptionsErrors = {};
  const jobs = Number(form.jobs);
  const jobsValid = form.jobs.trim() !== '' && Number.isInteger(jobs) && jobs >= 1 && jobs <= 16;
  if (form.format === 'directory' && !jobsValid) errors.jobs = 'Give a whole number from 1 to 16.';
  const tables = tablesOf(form.tables);
  const badTable = tables.find((table) => !QUALIFIED_TABLE.test(table));
  if (badTable !== undefined) errors.tables = `“${badTable}”: name a table as schema.table, e.g. public.users.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    options: {
      format: form.format,
      jobs: jobsValid ? jobs : 2,
      compression: form.format === 'plain' || form.compression === '' ? null : Number(form.compression),
      content: form.content,
      tables,
      noOwner: form.noOwner,
      noPrivileges: form.noPrivileges,
    },
  };
}

/** A backend VALIDATION error about one option (`options.tables.0`, `tables`), placed at its field. */
export function placeOptionsError(error: ApiError): { field: OptionsField; message: string } | null {
  if (error.code !== 'VALIDATION' || !error.field) return null;
  const field = error.field.replace(/^options\./, '').split('.')[0];
  if (field === 'jobs' || field === 'compression' || field === 'tables') return { field, message: error.message };
  return null;
}
