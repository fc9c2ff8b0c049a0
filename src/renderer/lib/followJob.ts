import type { Job } from '../../shared/contract';
import { api } from './api';
import { useJobsStore } from './jobsStore';
import { useToastStore } from './toastStore';
import { whenJobEnds } from './whenJobEnds';

/** What the jobs store would toast for this job if it told the ending itself. */
function storeToastTexts(job: Job): string[] {
  return [job.summary ?? `${job.title}: done.`, `${job.title}: cancelled.`, `${job.title} failed: ${job.error?.message ?? 'no reason given'}`];
}

/**
 * Follows a job this window started to its end. It is listed in the jobs indicator at once (and
 * can be cancelled there too); its ending is said by the dialog that started it, in its own words,
 * not by a second toast from the jobs store.
 */
export async function followJob(jobId: string): Promise<Job> {
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
