import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { ConnectionTarget } from '../db/target';
import { withCopySession } from './copy-session';
import { CsvRecordCounter } from './csv-records';

/** A SELECT of ours and the values it binds as $1, $2, … (the search and filters the admin typed). */
export interface ExportQuery {
  text: string;
  values: unknown[];
}

export interface CopyOutProgress {
  /** Data rows written so far (the header not counted). */
  rows: number;
  bytes: number;
}

/**
 * COPY takes no bind parameters, and the admin's search must never be spliced into SQL. So each
 * value is handed to the session as a transaction-local setting, itself set by a bound statement,
 * and the query reads it back: `$2::date` becomes `current_setting('simple_db.export_2')::date`.
 * The query text keeps only our own SQL.
 */
export function withSettingParameters(query: ExportQuery): { text: string; settings: Array<[string, string]> } {
  const settings = query.values.map((value, index): [string, string] => [`simple_db.export_${index + 1}`, settingText(value)]);
  const text = query.text.replace(/\$(\d+)/g, (_match, n: string) => {
    const setting = settings[Number(n) - 1];
    if (!setting) throw new Error(`The export query names $${n}, which has no value`);
    return `current_setting('${setting[0]}')`;
  });
  return { text, settings };
}

function settingText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) throw new Error('An export query cannot bind an array');
  return String(value);
}

/**
 * Streams `query` as CSV (a header row, RFC 4180 quoting, UTF-8) into `destination`, which stays
 * open (a terminal's stdout; copyQueryToFile's partial file). A connection of its own (the pool
 * stays with the screens), in one read-only transaction, so the rows are one snapshot; dates in
 * ISO form whatever the server's DateStyle, so an import reads them back. An abort cancels the COPY
 * on the server; what was written by then stays written, so the caller says it is incomplete.
 */
export async function copyQueryToStream(
  target: ConnectionTarget,
  query: ExportQuery,
  destination: Writable,
  options: { signal: AbortSignal; onProgress: (progress: CopyOutProgress) => void },
): Promise<CopyOutProgress> {
  const { signal, onProgress } = options;
  signal.throwIfAborted();
  const { text, settings } = withSettingParameters(query);
  return withCopySession(target, 'simple-db (export)', signal, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    for (const [name, value] of settings) await client.query('SELECT set_config($1, $2, true)', [name, value]);
    signal.throwIfAborted();
    const counter = new CsvRecordCounter((c) => onProgress({ rows: Math.max(0, c.records - 1), bytes: c.bytes }));
    const copy = client.query(copyTo(`COPY (${text}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`));
    await pipeline(copy, counter, destination, { signal, end: false });
    await client.query('COMMIT');
    return { rows: Math.max(0, counter.records - 1), bytes: counter.bytes };
  });
}

/**
 * Streams `query` as CSV into `file`: written as `<file>.partial`, flushed to disk and renamed
 * only once COPY finished, so a cancel, a failure or a crash never leaves a file that looks
 * complete. An abort removes the partial file.
 */
export async function copyQueryToFile(
  target: ConnectionTarget,
  query: ExportQuery,
  file: string,
  options: { signal: AbortSignal; onProgress: (progress: CopyOutProgress) => void },
): Promise<CopyOutProgress> {
  options.signal.throwIfAborted();
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  try {
    const result = await copyQueryToStream(target, query, out, options);
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const handle = await fs.open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(partial, file);
    return result;
  } catch (error) {
    // Closed before it is removed: Windows will not delete a file that is still open.
    await new Promise<void>((resolve) => {
      if (out.closed) resolve();
      else out.once('close', () => resolve()).destroy();
    });
    await fs.rm(partial, { force: true });
    throw error;
  }
}
