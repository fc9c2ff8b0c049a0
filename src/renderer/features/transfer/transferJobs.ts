import { exportResultSchema, importReportSchema, type ExportResult, type ImportReport, type Job } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';

/** How a transfer job ended, with its result read against the contract. */
export type TransferOutcome<Result> = { kind: 'succeeded'; result: Result } | { kind: 'cancelled' } | { kind: 'failed'; error: ApiError };

const UNREADABLE: ApiError = {
  code: 'INTERNAL',
  message: 'The job finished, but its result could not be read. Reload the window to see where things stand.',
};

function outcomeOf<Result>(job: Job, read: (result: unknown) => Result | null): TransferOutcome<Result> {
  if (job.state === 'cancelled') return { kind: 'cancelled' };
  if (job.state === 'succeeded') {
    const result = read(job.result);
    return result === null ? { kind: 'failed', error: UNREADABLE } : { kind: 'succeeded', result };
  }
  return { kind: 'failed', error: job.error ?? { code: 'INTERNAL', message: 'no reason given' } };
}

export function exportOutcome(job: Job): TransferOutcome<ExportResult> {
  return outcomeOf(job, (result) => {
    const parsed = exportResultSchema.safeParse(result);
    return parsed.success ? parsed.data : null;
  });
}

export function importOutcome(job: Job): TransferOutcome<ImportReport> {
  return outcomeOf(job, (result) => {
    const parsed = importReportSchema.safeParse(result);
    return parsed.success ? parsed.data : null;
  });
}
