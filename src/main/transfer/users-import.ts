import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { from as copyFrom } from 'pg-copy-streams';
import { emailSchema, IMPORT_PROBLEMS_MAX, nameSchema, type ImportMode, type ImportProblem, type ImportReport } from '../../shared/contract';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import { withCopySession } from './copy-session';

const VALUE_SHOWN = 60;
const REQUIRED = ['email', 'name'] as const;
const OPTIONAL = ['created_at', 'id'] as const;

const shorten = (value: string) => (value.length > VALUE_SHOWN ? `${value.slice(0, VALUE_SHOWN - 1)}…` : value);

/** A field of ours for COPY's CSV: quoted, quotes doubled. */
const csvField = (value: string | number | null) => (value === null ? '' : `"${String(value).replace(/"/g, '""')}"`);

/** Refuses what is not a CSV of text before anything starts: an empty file, or one with NUL bytes (binary). */
async function checkFile(file: string): Promise<void> {
  const stat = await fs.stat(file);
  if (stat.size === 0)
    throw new AppError('VALIDATION', 'The file is empty: a CSV file needs a header line (email,name) and rows.', { field: 'file' });
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    if (buffer.subarray(0, bytesRead).includes(0)) {
      throw new AppError('VALIDATION', 'This is not a text file (it holds NUL bytes): choose a CSV file.', { field: 'file' });
    }
  } finally {
    await handle.close();
  }
}

/** Passes bytes on while checking they are UTF-8; names the line of the first bad byte. */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private line = 1;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      for (const char of text) if (char === '\n') this.line++;
      callback(null, chunk);
    } catch {
      // Where in this chunk: decoded leniently, the first replacement character marks the bad byte.
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
      const line = this.line + (before.match(/\n/g)?.length ?? 0);
      callback(new AppError('VALIDATION', `Line ${line} is not UTF-8 text. Save the file as UTF-8 and import it again.`, { field: 'file' }));
    }
  }
}

/**
 * Imports users from a CSV file (header `email,name[,created_at]`; an `id` column is ignored, so
 * an export reads back) all or nothing: every record is checked with the forms' rules as it
 * streams into a temporary table (COPY … FROM STDIN), then duplicates within the file and emails
 * already in the table are found in SQL, and only then are rows written, in the same transaction.
 * - reject (the default): any problem and nothing is written;
 * - skip: the good lines are written, the bad ones reported;
 * - update: an email already in the table updates that user's name (and creation time, if given).
 * A cancel, a failure or a lost connection rolls everything back.
 */
export async function importUsersCsv(
  target: ConnectionTarget,
  file: string,
  options: { mode: ImportMode; signal: AbortSignal; onProgress?: (progress: { rows: number; bytes: number }) => void },
): Promise<ImportReport> {
  const { mode, signal } = options;
  signal.throwIfAborted();
  await checkFile(file);
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const problem = (p: ImportProblem) => {
    problemCount++;
    if (problems.length < IMPORT_PROBLEMS_MAX) problems.push(p);
  };
  // Without COMMIT, the session's end rolls back: nothing half-imported.
  return withCopySession(target, 'simple-db (import)', signal, async (client) => {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE import_users (line integer, email varchar, name varchar, created_at timestamp) ON COMMIT DROP');

    let bytes = 0;
    let rows = 0;
    let header: string[] | null = null;
    let columns: Record<string, number> = {};
    const records = parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true });
    const toCopy = new Transform({
      objectMode: false,
      writableObjectMode: true,
      transform(entry: { record: string[]; info: { lines: number; bytes: number } }, _encoding, callback) {
        const { record, info } = entry;
        const line = info.lines - (record.join('').includes('\n') ? record.join('').split('\n').length - 1 : 0);
        bytes = info.bytes;
        if (!header) {
          header = record.map((name) => name.trim().toLowerCase());
          const unknown = header.filter((name) => !(REQUIRED as readonly string[]).includes(name) && !(OPTIONAL as readonly string[]).includes(name));
          const missing = REQUIRED.filter((name) => !header!.includes(name));
          if (missing.length || unknown.length) {
            callback(
              new AppError(
                'VALIDATION',
                `The header line must name the columns email and name (created_at may follow; id is ignored)${missing.length ? `; it lacks ${missing.join(' and ')}` : ''}${unknown.length ? `; it has unknown columns ${unknown.join(', ')}` : ''}.`,
                { field: 'file' },
              ),
            );
            return;
          }
          columns = Object.fromEntries(header.map((name, index) => [name, index]));
          callback();
          return;
        }
        rows++;
        options.onProgress?.({ rows, bytes });
        if (record.length !== header.length) {
          problem({
            line,
            column: null,
            value: null,
            reason: `${record.length > header.length ? 'Too many' : 'Too few'} fields: ${record.length}, the header has ${header.length}.`,
          });
          callback();
          return;
        }
        const rawEmail = record[columns.email!]!;
        const rawName = record[columns.name!]!;
        const email = emailSchema.safeParse(rawEmail);
        const name = nameSchema.safeParse(rawName);
        let createdAt: string | null = null;
        const rawCreated = columns.created_at === undefined ? '' : record[columns.created_at]!.trim();
        let bad = false;
        if (!email.success) {
          problem({ line, column: 'email', value: shorten(rawEmail), reason: email.error.issues[0]?.message ?? 'Invalid email' });
          bad = true;
        }
        if (!name.success) {
          problem({ line, column: 'name', value: shorten(rawName), reason: name.error.issues[0]?.message ?? 'Invalid name' });
          bad = true;
        }
        if (rawCreated) {
          if (/^\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d{1,6})?)?)?$/.test(rawCreated) && !Number.isNaN(Date.parse(rawCreated.replace(' ', 'T'))))
            createdAt = rawCreated;
          else {
            problem({
              line,
              column: 'created_at',
              value: shorten(rawCreated),
              reason: 'created_at must be a date and time like 2024-05-31T14:03:00.',
            });
            bad = true;
          }
        }
        if (bad || !email.success || !name.success) {
          callback();
          return;
        }
        callback(null, `${line},${csvField(email.data)},${csvField(name.data)},${csvField(createdAt)}\n`);
      },
    });
    const copy = client.query(copyFrom('COPY import_users (line, email, name, created_at) FROM STDIN WITH (FORMAT csv)'));
    try {
      await pipeline(createReadStream(file), new Utf8Check(), records, toCopy, copy, { signal });
    } catch (error) {
      // csv-parse stops at bad quoting: say where.
      const e = error as { code?: string; lines?: number; message?: string };
      if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
        throw new AppError('VALIDATION', `Line ${e.lines ?? '?'}: the CSV is malformed (${e.message ?? e.code}). Fix the quoting and import again.`, {
          field: 'file',
        });
      }
      throw error;
    }
    if (!header)
      throw new AppError('VALIDATION', 'The file has no header line: the first line must name the columns, like email,name.', { field: 'file' });

    // Duplicates within the file: every repeat after the first.
    const duplicates = await client.query<{ line: number; email: string; first: number }>(
      'SELECT line, email, first FROM (SELECT line, email, min(line) OVER (PARTITION BY email) AS first FROM import_users) d WHERE line <> first ORDER BY line',
    );
    for (const row of duplicates.rows)
      problem({ line: row.line, column: 'email', value: shorten(row.email), reason: `Duplicate of line ${row.first} in this file.` });
    const badLines = duplicates.rows.map((row) => row.line);
    if (mode !== 'update') {
      const existing = await client.query<{ line: number; email: string; id: number }>(
        'SELECT i.line, i.email, u.id FROM import_users i JOIN users u ON u.email = i.email ORDER BY i.line',
      );
      for (const row of existing.rows)
        problem({ line: row.line, column: 'email', value: shorten(row.email), reason: `Already in the table as user #${row.id}.` });
      badLines.push(...existing.rows.map((row) => row.line));
    }
    problems.sort((a, b) => a.line - b.line);
    if (mode === 'reject' && problemCount > 0) {
      await client.query('ROLLBACK');
      return { rows, problems, problemCount, inserted: 0, updated: 0, skipped: 0, rejected: true };
    }
    if (badLines.length) await client.query('DELETE FROM import_users WHERE line = ANY($1::int[])', [badLines]);
    let updated = 0;
    if (mode === 'update') {
      const result = await client.query(
        'UPDATE users u SET name = i.name, created_at = coalesce(i.created_at, u.created_at) FROM import_users i WHERE u.email = i.email',
      );
      updated = result.rowCount ?? 0;
      await client.query('DELETE FROM import_users i USING users u WHERE u.email = i.email');
    }
    const inserted = await client.query(
      "INSERT INTO users (email, name, created_at) SELECT email, name, coalesce(created_at, now() AT TIME ZONE 'UTC') FROM import_users ORDER BY line",
    );
    signal.throwIfAborted();
    await client.query('COMMIT');
    const written = (inserted.rowCount ?? 0) + updated;
    return { rows, problems, problemCount, inserted: inserted.rowCount ?? 0, updated, skipped: rows - written, rejected: false };
  });
}
