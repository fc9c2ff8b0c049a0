import { create } from 'zustand';
import type { AppEvent, Job } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { api } from './api';
import { subscribeToEvents, type EventStreamState } from './events';
import { toApiError } from './toApiError';
import { toast } from './toastStore';

/** Finished jobs kept for the panel; older ones drop off. */
const FINISHED_KEPT = 20;
/** While events are not arriving, running jobs are asked about this often instead. */
const POLL_MS = 1000;

interface JobsState {
  /** By id. */
  jobs: Record<string, Job>;
  stream: EventStreamState;
  /** A cancel that failed, by job id, so the panel can say so beside the job. */
  cancelErrors: Record<string, ApiError>;
  apply: (event: AppEvent) => void;
  /** A job this window just started: make sure it is listed even before its first event. */
  track: (jobId: string) => Promise<void>;
  cancel: (jobId: string) => Promise<void>;
}

/** A finished job never goes back to running because an older progress event came in late. */
function merge(jobs: Record<string, Job>, incoming: readonly Job[]): Record<string, Job> {
  const next = { ...jobs };
  for (const job of incoming) {
    const known = next[job.id];
    if (known && known.state !== 'running' && job.state === 'running') continue;
    next[job.id] = job;
  }
  const finished = Object.values(next)
    .filter((job) => job.state !== 'running')
    .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
  for (const old of finished.slice(FINISHED_KEPT)) delete next[old.id];
  return next;
}

/** Jobs this window started, and which of them have had their ending told. */
const started = new Set<string>();
const told = new Set<string>();

/** How a job this window started ended, said once wherever the admin is: the panel may be closed. */
function tellEndings(jobs: Record<string, Job>): void {
  for (const id of started) {
    const job = jobs[id];
    if (!job || job.state === 'running' || told.has(id)) continue;
    told.add(id);
    if (job.state === 'succeeded') toast(job.summary ?? `${job.title}: done.`, 'info');
    else if (job.state === 'cancelled') toast(`${job.title}: cancelled.`, 'info');
    else toast(`${job.title} failed: ${job.error?.message ?? 'no reason given'}`, 'error');
  }
}

export const useJobsStore = create<JobsState>()((set, get) => {
  function update(incoming: readonly Job[]): void {
    const jobs = merge(get().jobs, incoming);
    set({ jobs });
    tellEndings(jobs);
  }

  return {
    jobs: {},
    stream: 'connecting',
    cancelErrors: {},

    apply: (event) => {
      if (event.type === 'jobs.snapshot') update(event.jobs);
      else if (event.type === 'job.progress' || event.type === 'job.finished') update([event.job]);
    },

    track: async (jobId) => {
      started.add(jobId);
      tellEndings(get().jobs);
      try {
        const job = await api.jobs.get({ id: jobId });
        update([job]);
      } catch {
        // Its events will list it; a job that cannot be fetched is not worth an error of its own.
      }
    },

    cancel: async (jobId) => {
      const { [jobId]: _cleared, ...cancelErrors } = get().cancelErrors;
      set({ cancelErrors });
      try {
        const job = await api.jobs.cancel({ id: jobId });
        update([job]);
      } catch (error) {
        set({ cancelErrors: { ...get().cancelErrors, [jobId]: toApiError(error) } });
      }
    },
  };
});

/** Running first (newest first), then finished ones (most recently finished first). */
export function sortJobs(jobs: Record<string, Job>): Job[] {
  return Object.values(jobs).sort((a, b) => {
    const running = Number(b.state === 'running') - Number(a.state === 'running');
    if (running !== 0) return running;
    if (a.state === 'running') return b.startedAt.localeCompare(a.startedAt);
    return (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '');
  });
}

export function runningCount(jobs: Record<string, Job>): number {
  return Object.values(jobs).filter((job) => job.state === 'running').length;
}

/**
 * Feeds the jobs store from the event stream (and, while the stream is down, by asking). Called
 * once by the shell; returns the way to stop.
 */
export function startJobsFeed(onEvent?: (event: AppEvent) => void): () => void {
  const store = useJobsStore;
  const unsubscribe = subscribeToEvents(
    (event) => {
      store.getState().apply(event);
      onEvent?.(event);
    },
    (stream) => store.setState({ stream }),
  );
  // The snapshot the main process sends when a page (re)loads can arrive before this listener
  // exists (Electron sends it on did-finish-load, before React has mounted): ask once as well, so
  // a job that reports nothing for a while is still listed after a reload.
  api.jobs
    .list()
    .then(({ jobs }) => store.getState().apply({ type: 'jobs.snapshot', jobs }))
    .catch(() => undefined);
  const poll = setInterval(() => {
    const { stream, jobs, track } = store.getState();
    if (stream === 'open' || stream === 'unauthorized') return;
    for (const job of Object.values(jobs)) if (job.state === 'running') void track(job.id);
  }, POLL_MS);
  return () => {
    clearInterval(poll);
    unsubscribe();
  };
}
