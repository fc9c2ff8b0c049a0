import { backupEntrySchema, type Job } from '../../../shared/contract';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';
import { toast, useToastStore } from '../../lib/toastStore';
import { whenJobEnds } from '../../lib/whenJobEnds';
import { sizeText } from './backupFormat';

/** The toast for a backup that was written: its size as the history's Size column writes it. */
export function backupToastText(job: Job): string | null {
  const entry = backupEntrySchema.safeParse(job.result);
  return entry.success ? `${entry.data.name} (${sizeText(entry.data.size)}), verified` : null;
}

/** What the jobs store would toast for this job (its own wording), if it was asked to tell the ending. */
function storeToastTexts(job: Job): string[] {
  return [job.summary ?? `${job.title}: done.`, `${job.title}: cancelled.`, `${job.title} failed: ${job.error?.message ?? 'no reason given'}`];
}

/**
 * Follows a backup job this screen started (or a missed scheduled run it asked for) to its end, and
 * says how it ended in a toast, wherever the admin is by then. The job is listed in the jobs store
 * at once (as `track` would) but without the store's own ending toast: that one repeats the
 * backend's summary, whose size is rounded differently from the history's (one formatter for both).
 */
export async function followBackupJob(jobId: string): Promise<Job> {
  const jobs = useJobsStore.getState();
  try {
    jobs.apply({ type: 'job.progress', job: await api.jobs.get({ id: jobId }) });
  } catch {
    // Its events will list it; a job that cannot be fetched is not worth an error of its own.
  }
  const job = await whenJobEnds(jobId);
  // While events are down the jobs store asks after running jobs itself, and then tells their
  // endings too: keep one toast, this one.
  const toasts = useToastStore.getState();
  const theirs = storeToastTexts(job);
  for (const shown of toasts.toasts) if (theirs.includes(shown.text)) toasts.dismiss(shown.id);
  if (job.state === 'succeeded') toast(backupToastText(job) ?? job.summary ?? `${job.title}: done.`, 'info');
  else if (job.state === 'cancelled') toast(`${job.title}: cancelled.`, 'info');
  else toast(`${job.title} failed: ${job.error?.message ?? 'no reason given'}`, 'error');
  return job;
}
