import type { ImportReport, JobStarted } from '../../shared/contract';
import { sizeText } from '../../shared/size-text';
import type { HandlerContext } from '../api/context';
import type { ConnectionTarget } from '../db/target';
import { adjustEstimate } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import { writeReportCsv } from './report-csv';

const numberFormat = new Intl.NumberFormat('en-US');
const count = (n: number, one: string, many: string) => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

type ImportProgress = { rows: number; bytes: number };

export interface ImportSpec<Mode extends string> {
  kind: 'users.import' | 'products.import';
  table: 'users' | 'products';
  noun: { one: string; many: string };
  source: string;
  mode: Mode;
  /** The engine: importUsersCsv or importProductsCsv. */
  run: (
    target: ConnectionTarget,
    file: string,
    options: { mode: Mode; signal: AbortSignal; onProgress: (progress: ImportProgress) => void },
  ) => Promise<ImportReport>;
}

/**
 * An import writes, and a read-only connection's server would refuse it only after the whole file
 * was read: refused before anything starts, saying what to do, like a restore.
 */
export function refuseReadOnly(target: ConnectionTarget): void {
  if (!target.readOnly) return;
  throw new AppError(
    'PERMISSION',
    `“${target.profileName ?? target.database}” is a read-only connection: exports work, imports do not. Import through a connection without the read-only flag.`,
  );
}

/** "Imported 998 users; 2 bad lines skipped", "Nothing imported: 3 bad lines", "Imported 10 users and updated 5". */
export function importSummary(noun: ImportSpec<string>['noun'], report: ImportReport): string {
  const bad = count(report.problemCount, 'bad line', 'bad lines');
  if (report.rejected) return `Nothing imported: ${bad}`;
  if (report.rows === 0) return 'Nothing imported: the file has a header but no rows';
  const summary = !report.updated
    ? `Imported ${count(report.inserted, noun.one, noun.many)}`
    : report.inserted
      ? `Imported ${count(report.inserted, noun.one, noun.many)} and updated ${numberFormat.format(report.updated)}`
      : `Updated ${count(report.updated, noun.one, noun.many)}`;
  return report.skipped ? `${summary}; ${count(report.skipped, 'bad line', 'bad lines')} skipped` : summary;
}

/**
 * Starts an import job on the caller's connection: the source handle's file through the engine,
 * progress in rows with the bytes read in the message (the file's size is known, so the total is
 * the rows so far scaled to the whole file). When there were bad lines, the report is also
 * written as CSV into the reports folder, for transfer.download / reveal.
 *
 * The source stays usable after a rejected, failed or cancelled import (the admin may fix the
 * mode and run it again); an import that wrote uses it up, and an upload's copy is deleted.
 */
export function startImport<Mode extends string>(context: HandlerContext, spec: ImportSpec<Mode>): JobStarted {
  const { transfer } = context.services;
  const { target, db } = context.connection;
  refuseReadOnly(target);
  const source = transfer.handles.resolve(spec.source, 'read');
  const size = source.size;
  let jobId = '';
  const started = context.startJob(spec.kind, `Import ${spec.noun.many} from ${source.name}`, async ({ signal, progress }) => {
    const phase = `Importing ${spec.noun.many} from ${source.name}`;
    progress({ phase, done: 0, total: null, unit: 'rows', ...(size ? { message: `0 bytes of ${sizeText(size)}` } : {}) });
    const report = await spec.run(target, source.path, {
      mode: spec.mode,
      signal,
      onProgress: ({ rows, bytes }) => {
        const read = size ? `${sizeText(bytes)} of ${sizeText(size)}` : `${sizeText(bytes)} read`;
        // The whole file read: what remains is checking it in SQL and writing, which says nothing until it is done.
        const writing = size !== null && bytes >= size;
        progress({
          phase: writing ? `Checking and writing ${spec.noun.many}` : phase,
          done: rows,
          total: size && bytes > 0 ? Math.max(rows, Math.round((rows * size) / bytes)) : null,
          unit: 'rows',
          message: read,
        });
      },
    });
    adjustEstimate(db, spec.table, report.inserted);
    if (report.problemCount > 0) {
      const file = await transfer.newFile(transfer.reportsDir, `${spec.table}-import-problems`);
      await writeReportCsv(report, file);
      transfer.remember(jobId, { report: file });
    }
    if (!report.rejected && report.inserted + report.updated > 0) await transfer.handles.release(spec.source);
    return { summary: importSummary(spec.noun, report), result: report };
  });
  jobId = started.jobId;
  return started;
}
