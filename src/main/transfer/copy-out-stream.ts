import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { ConnectionTarget } from '../db/target';
import { withSettingParameters, type CopyOutProgress, type ExportQuery } from './copy-out';
import { withCopySession } from './copy-session';
import { CsvRecordCounter } from './csv-records';

/**
 * Streams `query` as CSV (header row, RFC 4180, UTF-8) into a stream the caller owns and keeps
 * open (a terminal's stdout: `npm run export -- users > users.csv`), without a file of our own in
 * between: the same COPY, session, snapshot and cancel as copyQueryToFile, which needs a file name
 * for its `.partial` and rename. The destination is not ended, so the caller can still write to it.
 * An abort cancels the COPY on the server; what was written by then stays written (a stream cannot
 * be taken back), so the caller tells whoever reads it that the output is incomplete.
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
    for (const [name, value] of settings) await client.query('SELECT set_config($1, $2, true)', [name, value]);
    signal.throwIfAborted();
    const counter = new CsvRecordCounter((c) => onProgress({ rows: Math.max(0, c.records - 1), bytes: c.bytes }));
    const copy = client.query(copyTo(`COPY (${text}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`));
    await pipeline(copy, counter, destination, { signal, end: false });
    await client.query('COMMIT');
    return { rows: Math.max(0, counter.records - 1), bytes: counter.bytes };
  });
}
