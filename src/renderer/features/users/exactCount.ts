import { create } from 'zustand';
import { userCountResultSchema, type Job, type Total } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { connectionGeneration, resetOnSwitch, stillOn } from '../../lib/currentConnection';
import { useJobsStore } from '../../lib/jobsStore';
import { whenJobEnds } from '../../lib/whenJobEnds';
import { toApiError } from '../../lib/toApiError';
import { listingKey, userSelection, useUsersStore, type UsersListFilters } from './usersStore';

interface ExactCountState {
  /** The latest `users.count` job this screen started, the search it counts and the whole listing's key. */
  request: { jobId: string; search: string; key: string } | null;
  starting: boolean;
  /** `users.count` could not even start. */
  startError: ApiError | null;
  /** Counts the users the list shows: this search, match mode and filters. */
  start: (search: string, filters: UsersListFilters) => Promise<void>;
  /** The list changed (a create, a delete): a count taken before is no longer the answer. */
  forget: () => void;
}

/** "Count exactly": `users.count` as a job, shown in the jobs indicator like any other. */
export const useExactCountStore = create<ExactCountState>()((set, get) => ({
  request: null,
  starting: false,
  startError: null,

  start: async (search, filters) => {
    if (get().starting) return;
    set({ starting: true, startError: null });
    const generation = connectionGeneration();
    const key = listingKey(search, filters);
    let jobId: string;
    try {
      ({ jobId } = await api.users.count(userSelection(search, filters)));
      if (stillOn(generation)) set({ request: { jobId, search, key }, starting: false });
      await useJobsStore.getState().track(jobId);
    } catch (error) {
      if (stillOn(generation)) set({ starting: false, startError: toApiError(error) });
      return;
    }
    // The exact number replaces the estimate in the list too (its row numbers, Last), while the
    // list still shows what was counted and nothing was written since (a write forgets the request).
    const job = await whenJobEnds(jobId);
    const counted = exactCountView(get().request, job, key);
    const list = useUsersStore.getState();
    if (stillOn(generation) && counted.kind === 'counted' && listingKey(list.search, list.filters) === key) list.adoptTotal(counted.total);
  },

  forget: () => set({ request: null, startError: null }),
}));

// A count still running when the list moves on to other users (another search or filter) would
// end in a toast of a number that is not this listing's total ("1,000,005 users match “e”." under
// a list of “zo”), and its answer would never be used: cancel it, like the Jobs panel's Cancel.
useUsersStore.subscribe((state, previous) => {
  if (listingKey(state.search, state.filters) === listingKey(previous.search, previous.filters)) return;
  const { request } = useExactCountStore.getState();
  if (!request || request.key === listingKey(state.search, state.filters)) return;
  const job = useJobsStore.getState().jobs[request.jobId];
  if (job && job.state !== 'running') return;
  void useJobsStore.getState().cancel(request.jobId);
});

// A count of another database's users is not this one's total.
resetOnSwitch(() => useExactCountStore.setState({ request: null, starting: false, startError: null }));

export type ExactCountView =
  { kind: 'none' } | { kind: 'running'; job: Job | null } | { kind: 'counted'; total: Total } | { kind: 'failed'; message: string };

/**
 * What the total label shows, given the count request, its job and the listing shown now (its
 * `listingKey`): the exact count replaces the estimate only while the list still shows what it counted.
 */
export function exactCountView(request: ExactCountState['request'], job: Job | undefined, key: string): ExactCountView {
  if (!request || request.key !== key) return { kind: 'none' };
  if (!job || job.state === 'running') return { kind: 'running', job: job ?? null };
  if (job.state === 'succeeded') {
    const result = userCountResultSchema.safeParse(job.result);
    if (!result.success || result.data.search !== request.search) return { kind: 'none' };
    return { kind: 'counted', total: { count: result.data.count, estimated: false } };
  }
  if (job.state === 'cancelled') return { kind: 'failed', message: 'Count cancelled.' };
  return { kind: 'failed', message: `Count failed: ${job.error?.message ?? 'unknown error'}` };
}
