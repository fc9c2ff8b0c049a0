import { create } from 'zustand';
import type { Job, ScheduleState } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { connectionGeneration, resetOnSwitch, stillOn } from '../../lib/currentConnection';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { useBackupsStore } from './backupsStore';

interface ScheduleStoreState {
  /** Null until the first answer. */
  state: ScheduleState | null;
  loadError: ApiError | null;
  /** Bumped each time a new state arrives, so an open form knows the saved schedule may have changed. */
  version: number;
  missedBusy: boolean;
  missedError: string | null;

  /** Reads the schedule (next run, last and recent runs, a missed run) again. */
  load: () => Promise<void>;
  /** A state the backend answered with (after saving). */
  receive: (state: ScheduleState) => void;
  /** Runs the missed scheduled backup now (its progress where "Back up now" shows it), or dismisses it. */
  resolveMissed: (action: 'run' | 'dismiss') => Promise<void>;
  /** A scheduled run's job ended: reads the schedule again until that run is listed as the last one. */
  afterScheduledRun: (job: Job) => Promise<void>;
}

let loadSeq = 0;

/**
 * The backend records a scheduled run (and deletes scheduled backups beyond "keep") just after its
 * job ends, so the first read may not have it yet: asked again this often, at most this many times.
 */
const RECORDED_POLL_MS = 500;
const RECORDED_POLLS = 20;
/** A run's recorded time is taken just before its job starts. */
const RUN_START_SLACK_MS = 5000;

function recorded(state: ScheduleState | null, job: Job): boolean {
  const last = state?.lastRun;
  return last ? Date.parse(last.at) >= Date.parse(job.startedAt) - RUN_START_SLACK_MS : false;
}

export const useScheduleStore = create<ScheduleStoreState>()((set, get) => ({
  state: null,
  loadError: null,
  version: 0,
  missedBusy: false,
  missedError: null,

  load: async () => {
    const seq = ++loadSeq;
    try {
      const answer = await api.backups['schedule.get']({});
      if (seq !== loadSeq) return;
      set({ state: answer, loadError: null, version: get().version + 1 });
    } catch (caught) {
      if (seq === loadSeq) set({ loadError: toApiError(caught) });
    }
  },

  receive: (state) => {
    ++loadSeq;
    set({ state, loadError: null, version: get().version + 1 });
  },

  resolveMissed: async (action) => {
    if (get().missedBusy) return;
    useBackupsStore.getState().clearMessages();
    set({ missedBusy: true, missedError: null });
    const generation = connectionGeneration();
    let jobId: string | null;
    try {
      ({ jobId } = await api.backups['schedule.missed']({ action }));
    } catch (caught) {
      set({ missedBusy: false, missedError: toApiError(caught).message });
      return;
    }
    set({ missedBusy: false });
    await get().load();
    if (jobId) {
      // The run shows where "Back up now" shows its progress, and the history refreshes after it;
      // then the schedule's last run and next run are read again.
      await useBackupsStore.getState().follow(jobId, generation);
      if (!stillOn(generation)) return;
      const job = useJobsStore.getState().jobs[jobId];
      if (job) await get().afterScheduledRun(job);
      else await get().load();
    }
  },

  afterScheduledRun: async (job) => {
    for (let poll = 0; poll < RECORDED_POLLS; poll++) {
      if (poll > 0) await new Promise((resolve) => setTimeout(resolve, RECORDED_POLL_MS));
      await get().load();
      if (recorded(get().state, job)) return;
    }
  },
}));

// Another database in this window: its schedule is read again when the screen shows.
resetOnSwitch(() => {
  ++loadSeq;
  useScheduleStore.setState({ state: null, loadError: null, missedBusy: false, missedError: null, version: useScheduleStore.getState().version + 1 });
});

/** A scheduled run (the timer's, or a missed one run now): its ending changes the schedule's last and next run. */
function isScheduledBackup(job: Job): boolean {
  return job.kind === 'backups.create' && job.title.startsWith('Scheduled backup');
}

/**
 * While the Backups screen is shown: reads the schedule again whenever a scheduled backup ends
 * (the backend starts those on its own, so nothing on the screen is waiting for them) until the
 * run is recorded, then refreshes the history (the file it wrote, the old ones it deleted).
 * Returns the way to stop.
 */
export function watchScheduledRuns(): () => void {
  const ended = new Set(
    Object.values(useJobsStore.getState().jobs)
      .filter((job) => job.state !== 'running')
      .map((job) => job.id),
  );
  let watching = true;
  const unsubscribe = useJobsStore.subscribe((state) => {
    for (const job of Object.values(state.jobs)) {
      if (job.state === 'running' || ended.has(job.id)) continue;
      ended.add(job.id);
      if (!isScheduledBackup(job)) continue;
      void useScheduleStore
        .getState()
        .afterScheduledRun(job)
        .then(() => {
          // Once the run is recorded, retention has deleted what it deletes: the history is final.
          // (A run this screen follows, a missed one run now, refreshes the history itself.)
          const backups = useBackupsStore.getState();
          if (watching && backups.backupJobId !== job.id) void backups.refresh(backups.highlight);
        });
    }
  });
  return () => {
    watching = false;
    unsubscribe();
  };
}
