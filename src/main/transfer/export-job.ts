import path from 'node:path';
import type { ExportResult, JobStarted } from '../../shared/contract';
import { sizeText } from '../../shared/size-text';
import type { HandlerContext } from '../api/context';
import type { JobControl } from '../jobs/registry';
import { copyQueryToFile, type ExportQuery } from './copy-out';

const numberFormat = new Intl.NumberFormat('en-US');

export interface ExportSpec {
  kind: 'users.export' | 'products.export';
  noun: { one: string; many: string };
  /** The query, already built: a malformed search was refused before the job (VALIDATION). */
  query: ExportQuery;
  /** The search and filters in words: ["matching “ann”"]. */
  described: string[];
  /** How many rows to expect (the planner's figure); null when it cannot tell. */
  estimate: () => Promise<number>;
  /** A destination handle from transfer.chooseDestination; without one the file goes into the app's exports folder. */
  destination: string | undefined;
}

/** "Exported 1,204 users to users-2026-11-29T20-15-00.csv (1.2 MB)". */
export function exportSummary(noun: ExportSpec['noun'], result: ExportResult): string {
  return `Exported ${numberFormat.format(result.rows)} ${result.rows === 1 ? noun.one : noun.many} to ${result.fileName} (${sizeText(result.bytes)})`;
}

/**
 * Starts an export job: the rows stream with COPY into the chosen file (desktop) or a new file in
 * the exports folder (browser mode, which then downloads it), with progress in rows against the
 * planner's estimate. The file is remembered under the job's id for transfer.download / reveal.
 */
export function startExport(context: HandlerContext, spec: ExportSpec): JobStarted {
  const { transfer } = context.services;
  // Checked now, so an unknown or expired destination is a VALIDATION answer, not a failed job.
  // Held for this job: a second export to the same file is refused while this one writes it.
  const destination = spec.destination;
  const chosen = destination === undefined ? null : transfer.handles.claim(destination, 'write');
  const { target } = context.connection;
  const title = [`Export ${spec.noun.many}`, ...spec.described].join(' ');
  let jobId = '';
  const started = context.startJob(spec.kind, title, async ({ signal, progress }) => {
    try {
      return await exportTo(signal, progress);
    } finally {
      if (destination !== undefined) transfer.handles.unclaim(destination);
    }
  });
  async function exportTo(signal: AbortSignal, progress: JobControl['progress']) {
    const file = chosen?.path ?? (await transfer.newFile(transfer.exportsDir, spec.noun.many));
    const fileName = path.basename(file);
    const phase = `Exporting ${spec.noun.many} to ${fileName}`;
    // An estimate that cannot be had (a busy catalog) only costs the progress bar its end.
    const estimate = await spec.estimate().catch(() => null);
    progress({ phase, done: 0, total: estimate, unit: 'rows' });
    const written = await copyQueryToFile(target, spec.query, file, {
      signal,
      onProgress: ({ rows, bytes }) =>
        // Never "1,300 of 1,204": past the estimate, the estimate was low.
        progress({
          phase,
          done: rows,
          total: estimate === null ? null : Math.max(estimate, rows),
          unit: 'rows',
          message: `${sizeText(bytes)} written`,
        }),
    });
    transfer.remember(jobId, { export: file });
    // A destination is used once; the next export asks where again.
    if (destination !== undefined) await transfer.handles.release(destination);
    const result: ExportResult = { rows: written.rows, bytes: written.bytes, fileName };
    return { summary: exportSummary(spec.noun, result), result };
  }
  // The job's work starts after this line (the registry defers it), so the id is known when it finishes.
  jobId = started.jobId;
  return started;
}
