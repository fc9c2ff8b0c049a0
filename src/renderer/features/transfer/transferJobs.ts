import { exportResultSchema, importReportSchema, type ExportResult, type ImportReport, type Job } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';
import { useToastStore } from '../../lib/toastStore';
import { whenJobEnds } from '../../lib/whenJobEnds';

/** How a transfer job ended, with its result read against the contract. */
export type TransferOutcome<Result> = { kind: 'succeeded'; result: Result } | { kind: 'cancelled' } | { kind: 'failed'; error: ApiError };

/** What the jobs store would toast for this job if it told the ending itself. */
function storeToastTexts(job: Job): string[] {
  return [job.summary ?? `${job.title}: done.`, `${job.title}: cancelled.`, `${job.title} failed: ${job.error?.message ?? 'no reason given'}`];
}

/**
 * Follows an export or import job this window started to its end. It is listed in the jobs
 * indicator at once (and can be cancelled there too); its ending is said by the dialog, in its own
 * words, not by a second toast from the jobs store.
 */
export async function followTransferJob(jobId: string): Promise<Job> {
  try {
    const job = await api.jobs.get({ id: jobId });
    // Its events may have come in while this was asked: a later one knows more (progress).
    if (!useJobsStore.getState().jobs[jobId]) useJobsStore.getState().apply({ type: 'job.progress', job });
  } catch {
    // Its events will list it; a job that cannot be fetched is not worth an error of its own.
  }
  const job = await whenJobEnds(jobId);
  // While events are down the jobs store asks after running jobs itself, and then tells their
  // endings too: the dialog's words are enough.
  const toasts = useToastStore.getState();
  const theirs = storeToastTexts(job);
  for (const shown of toasts.toasts) if (theirs.includes(shown.text)) toasts.dismiss(shown.id);
  return job;
}

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
