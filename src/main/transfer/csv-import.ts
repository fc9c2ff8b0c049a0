import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Info } from 'csv-parse';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IMPORT_PROBLEMS_MAX, type ImportMode, type ImportProblem, type ImportReport } from '../../shared/contract';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import { withCopySession } from './copy-session';
import { csvField } from './report-csv';
import { Utf8Lines } from './utf8-lines';

const VALUE_SHOWN = 60;
/** Far above any record of ours (names are at most a few hundred characters). */
const MAX_RECORD_CHARS = 1_000_000;
/** Rows written past which the table is analysed at once. */
const ANALYZE_AFTER_ROWS = 5_000;
/** What COPY receives per write: one string per record would cost a call per row. */
const COPY_BATCH_CHARS = 64 * 1024;

export const shorten = (value: string) => (value.length > VALUE_SHOWN ? `${value.slice(0, VALUE_SHOWN - 1)}…` : value);

/** One record's fields by column name, and a way to report what is wrong with one. */
export interface RecordFields {
  get(column: string): string | undefined;
  problem(column: string, reason: string): void;
}

/**
 * What one table's import is: the columns a file may have, how a record is checked (the forms'
 * rules) and turned into a row of the temporary table, what only the database can tell
 * (duplicates, rows already there, unknown owners), and how the checked rows are written.
 */
export interface ImportSpec {
  /** The table written (analysed after a large import, so counts and plans see the new rows). */
  table: 'users' | 'products';
  /** The temporary table's columns after `line integer` (in `check`'s order). */
  stagingColumns: ReadonlyArray<{ name: string; type: string }>;
  /** Columns the header must have (each entry: one of these names). */
  required: ReadonlyArray<readonly string[]>;
  optional: readonly string[];
  /** Columns an export writes that an import does not read (an id means nothing in another database). */
  ignored: readonly string[];
  /** How the header line should look, for the message when it does not. */
  expectedHeader: string;
  /** The record's row for the temporary table, or null when `fields.problem` was told why not. */
  check(fields: RecordFields): Array<string | number | null> | null;
  /**
   * Finds what only the database can tell, once every record is in `import_rows`, by inserting
   * into `import_problems (line, column_name, value, reason)`: in SQL, so a million of them never
   * sit in memory.
   */
  findProblems(client: pg.Client, mode: ImportMode): Promise<void>;
  /** Writes the rows left in `import_rows` (bad lines already gone). */
  write(client: pg.Client, mode: ImportMode): Promise<{ inserted: number; updated: number }>;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  /** The file's size. */
  totalBytes: number;
}

export interface ImportOptions {
  mode: ImportMode;
  signal: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/** How long an import waits for a table lock before giving up (other writers queue behind the request meanwhile). */
const LOCK_WAIT = '30s';

/**
 * Locks a table for the rest of the import's transaction, waiting at most LOCK_WAIT: behind a
 * long transaction, a waiting lock request would hold up every writer that comes after it.
 */
export async function lockForImport(client: pg.Client, table: 'users' | 'products', mode: 'SHARE' | 'SHARE ROW EXCLUSIVE'): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
  await client.query(`LOCK TABLE ${table} IN ${mode} MODE`);
  await client.query('SET LOCAL lock_timeout = 0');
}

/** Refuses what is not a CSV of text before anything starts: an empty file, or one with NUL bytes (binary). */
async function checkFile(file: string, expectedHeader: string): Promise<number> {
  const stat = await fs.stat(file);
  if (stat.size === 0)
    throw new AppError('VALIDATION', `The file is empty: a CSV file needs a header line (${expectedHeader}) and rows.`, { field: 'file' });
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    if (buffer.subarray(0, bytesRead).includes(0)) {
      throw new AppError('VALIDATION', 'This is not a text file (it holds NUL bytes): choose a CSV file.', { field: 'file' });
    }
  } finally {
    await handle.close();
  }
  return stat.size;
}

/** The physical line a record starts on: the parser counts lines up to the record's end. */
function firstLineOf(record: string[], info: Info): number {
  let newlines = 0;
  for (const field of record) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) newlines++;
  return info.lines - newlines;
}

/**
 * Where the record that never closed its quote starts: the first line after the last record read
 * that is not blank (the parser skips blank lines, and reports this fault only at the file's end).
 */
async function firstFilledLineAfter(file: string, after: number): Promise<number> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (line > after && text.trim() !== '') return line;
  }
  return after + 1;
}

/** Checks the header: every required column, nothing unknown. Returns each column's position. */
function readHeader(record: string[], spec: ImportSpec): Map<string, number> {
  const header = record.map((name) => name.trim().toLowerCase());
  const known = new Set([...spec.required.flat(), ...spec.optional, ...spec.ignored]);
  const missing = spec.required.filter((names) => !names.some((name) => header.includes(name))).map((names) => names.join(' or '));
  const unknown = header.filter((name) => !known.has(name));
  const repeated = header.filter((name, index) => header.indexOf(name) !== index);
  if (missing.length || unknown.length || repeated.length) {
    const faults = [
      missing.length ? `it lacks ${missing.join(' and ')}` : '',
      unknown.length ? `it has unknown columns ${unknown.map((name) => `“${shorten(name)}”`).join(', ')}` : '',
      repeated.length ? `it names ${repeated.join(', ')} twice` : '',
    ].filter(Boolean);
    throw new AppError('VALIDATION', `Line 1, the header, must name the columns ${spec.expectedHeader}; ${faults.join('; ')}.`, { field: 'file' });
  }
  return new Map(header.map((name, index) => [name, index]));
}

/**
 * Imports a CSV file all or nothing, in one transaction on a connection of its own: the bytes are
 * checked as UTF-8 line by line, parsed (RFC 4180), each record checked with the forms' rules and
 * streamed with COPY … FROM STDIN into a temporary table; then the database finds what only it can
 * (duplicates, rows already there, unknown owners), and only then are rows written.
 * - reject: any problem, and nothing is written (the default);
 * - skip: the good lines are written and the bad ones reported;
 * - update: a row already in the table is updated rather than reported (users, matched by email);
 *   any other problem, and nothing is written.
 * A cancel, a failure, a lost connection or the app quitting ends the session before COMMIT, so
 * the table is exactly as it was.
 */
export async function importCsv(target: ConnectionTarget, file: string, spec: ImportSpec, options: ImportOptions): Promise<ImportReport> {
  const { mode, signal } = options;
  signal.throwIfAborted();
  const totalBytes = await checkFile(file, spec.expectedHeader);
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let badLines = 0;
  let lastBadLine = 0;
  const addProblem = (problem: ImportProblem) => {
    problemCount++;
    if (problem.line !== lastBadLine) badLines++;
    lastBadLine = problem.line;
    if (problems.length < IMPORT_PROBLEMS_MAX) problems.push(problem);
  };
  const rejected = (unreadFrom: number | null = null): ImportReport => {
    problems.sort((a, b) => a.line - b.line);
    problems.splice(IMPORT_PROBLEMS_MAX);
    return { rows, problems, problemCount, badLines, unreadFrom, inserted: 0, updated: 0, skipped: 0, rejected: true };
  };
  let rows = 0;

  return withCopySession(target, 'simple-db (import)', signal, async (client) => {
    await client.query('BEGIN');
    const columns = spec.stagingColumns.map((column) => `${column.name} ${column.type}`).join(', ');
    await client.query(`CREATE TEMP TABLE import_rows (line integer, ${columns}) ON COMMIT DROP`);
    await client.query('CREATE TEMP TABLE import_problems (line integer, column_name text, value text, reason text) ON COMMIT DROP');

    const bytes = new Utf8Lines();
    // A record over MAX_RECORD_CHARS is a quote left open swallowing the file: stopped there, not held in memory.
    const parser = parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
    let header: Map<string, number> | null = null;
    let headerLength = 0;
    /** Where the last record read ended: a record that cannot be read starts after it. */
    let lastRecordEnd = 0;
    let batch = '';
    const toCopy = new Transform({
      writableObjectMode: true,
      transform(entry: { record: string[]; info: Info }, _encoding, callback: TransformCallback) {
        const { record, info } = entry;
        lastRecordEnd = info.lines;
        if (!header) {
          try {
            header = readHeader(record, spec);
            headerLength = record.length;
          } catch (error) {
            callback(error as Error);
            return;
          }
          callback();
          return;
        }
        rows++;
        const line = firstLineOf(record, info);
        if (bytes.takeBadLines(line, info.lines)) {
          const column = [...header.keys()].find((name) => record[header!.get(name)!]?.includes('\uFFFD')) ?? null;
          addProblem({ line, column, value: null, reason: 'Not UTF-8 text. Save the file as UTF-8 (CSV UTF-8) and import it again.' });
        } else if (record.length !== headerLength) {
          const many = record.length > headerLength;
          addProblem({
            line,
            column: null,
            value: shorten(record.join(',')),
            reason: `${many ? 'Too many' : 'Too few'} fields: ${record.length}, the header has ${headerLength}.`,
          });
        } else {
          let bad = false;
          const fields: RecordFields = {
            get: (column) => {
              const index = header!.get(column);
              return index === undefined ? undefined : record[index];
            },
            problem: (column, reason) => {
              bad = true;
              const index = header!.get(column);
              addProblem({ line, column, value: index === undefined ? null : shorten(record[index]!), reason });
            },
          };
          const row = spec.check(fields);
          if (row && !bad) batch += `${line},${row.map(csvField).join(',')}\n`;
        }
        if ((rows & 1023) === 0) options.onProgress?.({ rows, bytes: bytes.bytes, totalBytes });
        if (batch.length >= COPY_BATCH_CHARS) {
          const out = batch;
          batch = '';
          callback(null, out);
          return;
        }
        callback();
      },
      flush(callback: TransformCallback) {
        callback(null, batch || undefined);
      },
    });
    const copy = client.query(copyFrom(`COPY import_rows (line, ${spec.stagingColumns.map((c) => c.name).join(', ')}) FROM STDIN WITH (FORMAT csv)`));
    try {
      await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), bytes, parser, toCopy, copy, { signal });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // After a quote out of place nothing that follows can be read reliably: report it and write nothing.
      const unclosed = error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE';
      const line = unclosed ? await firstFilledLineAfter(file, lastRecordEnd) : ((error as CsvError & { lines?: number }).lines ?? lastRecordEnd + 1);
      const reason = unclosed
        ? 'A quoted field opens on this line and is never closed, so the rest of the file cannot be read. Close the quote (or double a quote inside the field: "") and import again.'
        : error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'INVALID_OPENING_QUOTE'
          ? 'A quote in the middle of a field. A field that holds quotes must be quoted whole, its quotes doubled: "O""Brien". The rest of the file was not read; fix this line and import again.'
          : `Not valid CSV here (${error.message}). The rest of the file was not read; fix this line and import again.`;
      if (!header) throw new AppError('VALIDATION', `Line 1, the header, is not valid CSV: ${reason}`, { field: 'file' });
      addProblem({ line, column: null, value: null, reason });
      return rejected(line);
    }
    if (!header)
      throw new AppError('VALIDATION', `The file has no header line: the first line must name the columns, like ${spec.expectedHeader}.`, {
        field: 'file',
      });
    options.onProgress?.({ rows, bytes: bytes.bytes, totalBytes });

    await spec.findProblems(client, mode);
    const found = await client.query<ImportProblem & { total: string }>(
      `SELECT line, column_name AS "column", value, reason, count(*) OVER () AS total FROM import_problems ORDER BY line LIMIT ${IMPORT_PROBLEMS_MAX}`,
    );
    problems.push(...found.rows.map(({ line, column, value, reason }) => ({ line, column, value: value === null ? null : shorten(value), reason })));
    // The database's checks give one reason a line, and its lines are not among those refused above.
    const foundCount = Number(found.rows[0]?.total ?? 0);
    problemCount += foundCount;
    badLines += foundCount;
    // Only skip mode writes around bad lines; update mode, like reject, is all or nothing.
    if (mode !== 'skip' && problemCount > 0) {
      await client.query('ROLLBACK');
      return rejected();
    }
    problems.sort((a, b) => a.line - b.line);
    problems.splice(IMPORT_PROBLEMS_MAX);
    if (found.rows.length) await client.query('DELETE FROM import_rows r USING import_problems p WHERE r.line = p.line');
    signal.throwIfAborted();
    const { inserted, updated } = await spec.write(client, mode);
    signal.throwIfAborted();
    await client.query('COMMIT');
    // Counts, estimates and plans read the table's statistics: a large import would leave them stale
    // (the list saying "about 274,358" of 502,015) until autovacuum comes round.
    if (inserted + updated >= ANALYZE_AFTER_ROWS) await client.query(`ANALYZE ${spec.table}`);
    return { rows, problems, problemCount, badLines, unreadFrom: null, inserted, updated, skipped: rows - inserted - updated, rejected: false };
  });
}
