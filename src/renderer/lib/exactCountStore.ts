import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { z } from 'zod';
import type { Job, Total } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { connectionGeneration, resetOnSwitch, stillOn } from './currentConnection';
import type { FirstRow } from './keysetListStore';
import { useJobsStore } from './jobsStore';
import { toApiError } from './toApiError';
import { whenJobEnds } from './whenJobEnds';

/** What every "Count exactly" job answers (`users.count`, `products.count`): the count, and the search it counted. */
const countResultSchema = z.object({ count: z.number().int(), search: z.string() });

/** The part of a keyset list store a count needs: what it shows, and where an exact total goes. */
interface CountedList<Filters> {
  search: string;
  filters: Filters;
  adoptTotal: (total: Total) => void;
}

export interface ExactCountState<Filters> {
  /** The latest count job this screen started, the search it counts and the whole listing's key. */
  request: { jobId: string; search: string; key: string } | null;
  starting: boolean;
  /** The job could not even start. */
  startError: ApiError | null;
  /** Counts the rows the list shows: this search and these filters. */
  start: (search: string, filters: Filters) => Promise<void>;
  /** The list changed (a create, a delete): a count taken before is no longer the answer. */
  forget: () => void;
}

export type ExactCountView =
  { kind: 'none' } | { kind: 'running'; job: Job | null } | { kind: 'counted'; total: Total } | { kind: 'failed'; message: string };

/**
 * What the total label shows, given the count request, its job and the listing shown now (its
 * key): the exact count replaces the estimate only while the list still shows what it counted.
 */
export function exactCountView(request: ExactCountState<unknown>['request'], job: Job | undefined, key: string): ExactCountView {
  if (!request || request.key !== key) return { kind: 'none' };
  if (!job || job.state === 'running') return { kind: 'running', job: job ?? null };
  if (job.state === 'succeeded') {
    const result = countResultSchema.safeParse(job.result);
    if (!result.success || result.data.search !== request.search) return { kind: 'none' };
    return { kind: 'counted', total: { count: result.data.count, estimated: false } };
  }
  if (job.state === 'cancelled') return { kind: 'failed', message: 'Count cancelled.' };
  return { kind: 'failed', message: `Count failed: ${job.error?.message ?? 'unknown error'}` };
}

/**
 * "Count exactly" for one list, as a job shown in the jobs indicator like any other: its answer
 * replaces the list's estimate (its row numbers, Last) while the list still shows what was counted.
 */
export function createExactCountStore<Filters>(options: {
  list: Pick<StoreApi<CountedList<Filters>>, 'getState' | 'subscribe'>;
  /** Starts the job for this search and these filters. */
  count: (search: string, filters: Filters) => Promise<{ jobId: string }>;
  /** The listing's identity: a count answers only the listing it was taken of. */
  key: (search: string, filters: Filters) => string;
}): UseBoundStore<StoreApi<ExactCountState<Filters>>> {
  const { list, count, key: keyOf } = options;
  const store = create<ExactCountState<Filters>>()((set, get) => ({
    request: null,
    starting: false,
    startError: null,

    start: async (search, filters) => {
      if (get().starting) return;
      set({ starting: true, startError: null });
      const generation = connectionGeneration();
      const key = keyOf(search, filters);
      let jobId: string;
      try {
        ({ jobId } = await count(search, filters));
        if (stillOn(generation)) set({ request: { jobId, search, key }, starting: false });
        await useJobsStore.getState().track(jobId);
      } catch (error) {
        if (stillOn(generation)) set({ starting: false, startError: toApiError(error) });
        return;
      }
      const job = await whenJobEnds(jobId);
      const counted = exactCountView(get().request, job, key);
      const shown = list.getState();
      if (stillOn(generation) && counted.kind === 'counted' && keyOf(shown.search, shown.filters) === key) shown.adoptTotal(counted.total);
    },

    forget: () => set({ request: null, startError: null }),
  }));

  // A count still running when the list moves on to other rows (another search or filter) would
  // end in a toast of a number that is not this listing's total, and its answer would never be
  // used: cancel it, like the Jobs panel's Cancel.
  list.subscribe((state, previous) => {
    const now = keyOf(state.search, state.filters);
    if (now === keyOf(previous.search, previous.filters)) return;
    const { request } = store.getState();
    if (!request || request.key === now) return;
    const job = useJobsStore.getState().jobs[request.jobId];
    if (job && job.state !== 'running') return;
    void useJobsStore.getState().cancel(request.jobId);
  });

  // A count of another database's rows is not this one's total.
  resetOnSwitch(() => store.setState({ request: null, starting: false, startError: null }));
  return store;
}

/** The part of a keyset list store the shown total depends on. */
interface ShownList<Filters> {
  total: Total | null;
  search: string;
  filters: Filters;
  firstRow: FirstRow;
  rows: readonly unknown[];
}

/**
 * The total to show for the listing on screen, and the exact count's state: a finished count of
 * this very listing replaces the list's estimate; nothing ever says fewer rows than are shown.
 */
export function useShownTotal<Filters>(
  list: UseBoundStore<StoreApi<ShownList<Filters>>>,
  counts: UseBoundStore<StoreApi<ExactCountState<Filters>>>,
  keyOf: (search: string, filters: Filters) => string,
): { total: Total | null; view: ExactCountView } {
  const total = list((s) => s.total);
  const key = list((s) => keyOf(s.search, s.filters));
  const visible = list((s) => (s.firstRow.row === null || s.firstRow.approximate ? s.rows.length : s.firstRow.row + s.rows.length - 1));
  const request = counts((s) => s.request);
  const job = useJobsStore((s) => (request ? s.jobs[request.jobId] : undefined));
  const view = exactCountView(request, job, key);
  const shown = view.kind === 'counted' ? view.total : total;
  return { total: shown && shown.count < visible ? { ...shown, count: visible } : shown, view };
}
