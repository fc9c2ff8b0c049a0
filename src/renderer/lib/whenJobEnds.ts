import type { Job } from '../../shared/contract';
import { useJobsStore } from './jobsStore';

/**
 * Resolves with the job once the jobs store has it finished (succeeded, failed or cancelled).
 * The store is fed by events (or polling while they are down), so this needs no timer of its own,
 * and it keeps waiting while the screen that started the job is not shown.
 */
export function whenJobEnds(jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const finished = (jobs: Record<string, Job>): Job | null => {
      const job = jobs[jobId];
      return job && job.state !== 'running' ? job : null;
    };
    const already = finished(useJobsStore.getState().jobs);
    if (already) {
      resolve(already);
      return;
    }
    const unsubscribe = useJobsStore.subscribe((state) => {
      const job = finished(state.jobs);
      if (!job) return;
      unsubscribe();
      resolve(job);
    });
  });
}
