import fs from 'node:fs/promises';
import type { ImportMode, ImportReport, JobStarted } from '../../shared/contract';
import { importOutcome } from '../../shared/import-outcome';
import { sizeText } from '../../shared/size-text';
import type { HandlerContext } from '../api/context';
import type { JobControl } from '../jobs/registry';
import type { ConnectionTarget } from '../db/target';
import { refuseReadOnly } from '../db/read-only';
import { AppError } from '../errors/app-error';
import { adjustEstimate } from '../db/table-facts';
import { writeReportCsv } from './report-csv';

type ImportProgress = { rows: number; bytes: number };

export interface ImportSpec<Mode extends ImportMode> {
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

/** How much disk an import needs on the database's side, per byte of CSV: the staging table, the rows and their indexes, and WAL. */
const DISK_PER_FILE_BYTE = 3;

/**
 * The embedded database lives on this machine's disk (in the data directory), so an import that
 * cannot fit is refused before anything starts rather than failing the server halfway with a full
 * disk. A remote server's disk cannot be seen from here.
 */
export async function refuseWithoutRoom(size: number | null, dataDir: string): Promise<void> {
  if (!size) return;
  const stats = await fs.statfs(dataDir);
  const free = stats.bavail * stats.bsize;
  if (size * DISK_PER_FILE_BYTE > free) {
    throw new AppError(
      'VALIDATION',
      `This file is ${sizeText(size)}; importing it into the embedded database needs about ${sizeText(size * DISK_PER_FILE_BYTE)} of disk, and the disk holding it has ${sizeText(free)} free. Free some space, or import a smaller file.`,
      { field: 'source' },
    );
  }
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
export async function startImport<Mode extends ImportMode>(context: HandlerContext, spec: ImportSpec<Mode>): Promise<JobStarted> {
  const { transfer } = context.services;
  const { target, db } = context.connection;
  // An import writes, and the server would refuse it only after the whole file was read.
  refuseReadOnly(target, 'import');
  if (context.connection.embedded) await refuseWithoutRoom(transfer.handles.resolve(spec.source, 'read').size, context.services.dataDir);
  // Held for this job: the same upload imported twice at once would be two transactions racing.
  const source = transfer.handles.claim(spec.source, 'read');
  const size = source.size;
  let jobId = '';
  const started = context.startJob(spec.kind, `Import ${spec.noun.many} from ${source.name}`, async ({ signal, progress }) => {
    try {
      return await importFrom(signal, progress);
    } finally {
      transfer.handles.unclaim(spec.source);
    }
  });
  async function importFrom(signal: AbortSignal, progress: JobControl['progress']) {
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
      // After COMMIT the job must not fail: the rows are written, whatever becomes of the report's file.
      try {
        const file = await transfer.newFile(transfer.reportsDir, `${spec.table}-import-problems`);
        await writeReportCsv(report, file);
        transfer.remember(jobId, { report: file });
      } catch (error) {
        context.services.log(`Could not write the import report file: ${String(error)}`);
      }
    }
    if (!report.rejected && report.inserted + report.updated > 0) await transfer.handles.release(spec.source);
    // The job's summary says the outcome as the window's report does; what to do next is the report's.
    const { summary } = importOutcome(report, { table: spec.table, mode: spec.mode, audience: 'window' });
    return { summary, result: report };
  }
  jobId = started.jobId;
  return started;
}
