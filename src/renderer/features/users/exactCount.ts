import { create } from 'zustand';
import { userCountResultSchema, type Job, type Total } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { connectionGeneration, resetOnSwitch, stillOn } from '../../lib/currentConnection';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';

interface ExactCountState {
  /** The latest `users.count` job this screen started, and the search it counts. */
  request: { jobId: string; search: string } | null;
  starting: boolean;
  /** `users.count` could not even start. */
  startError: ApiError | null;
  start: (search: string) => Promise<void>;
  /** The list changed (a create, a delete): a count taken before is no longer the answer. */
  forget: () => void;
}

/** "Count exactly": `users.count` as a job, shown in the jobs indicator like any other. */
export const useExactCountStore = create<ExactCountState>()((set, get) => ({
  request: null,
  starting: false,
  startError: null,

  start: async (search) => {
    if (get().starting) return;
    set({ starting: true, startError: null });
    const generation = connectionGeneration();
    try {
      const { jobId } = await api.users.count({ search });
      if (stillOn(generation)) set({ request: { jobId, search }, starting: false });
      await useJobsStore.getState().track(jobId);
    } catch (error) {
      if (stillOn(generation)) set({ starting: false, startError: toApiError(error) });
    }
  },

  forget: () => set({ request: null, startError: null }),
}));

// A count of another database's users is not this one's total.
resetOnSwitch(() => useExactCountStore.setState({ request: null, starting: false, startError: null }));

export type ExactCountView =
  { kind: 'none' } | { kind: 'running'; job: Job | null } | { kind: 'counted'; total: Total } | { kind: 'failed'; message: string };

/**
 * What the total label shows, given the count request, its job and the search listed now: the
 * exact count replaces the estimate only while the search is still the one it counted.
 */
export function exactCountView(request: ExactCountState['request'], job: Job | undefined, search: string): ExactCountView {
  if (!request || request.search !== search) return { kind: 'none' };
  if (!job || job.state === 'running') return { kind: 'running', job: job ?? null };
  if (job.state === 'succeeded') {
    const result = userCountResultSchema.safeParse(job.result);
    if (!result.success || result.data.search !== search) return { kind: 'none' };
    return { kind: 'counted', total: { count: result.data.count, estimated: false } };
  }
  if (job.state === 'cancelled') return { kind: 'failed', message: 'Count cancelled.' };
  return { kind: 'failed', message: `Count failed: ${job.error?.message ?? 'unknown error'}` };
}
