import { create } from 'zustand';
import { backupEntrySchema, verificationSchema, type BackupEntry, type BackupOptions, type BackupOptionsInput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { connectionGeneration, resetOnSwitch, stillOn } from '../../lib/currentConnection';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { whenJobEnds } from '../../lib/whenJobEnds';
import { followBackupJob } from './backupJobs';

/** A sentence for the screen's live region; `id` is new each time, so the same words twice are said twice. */
export interface Announcement {
  id: number;
  text: string;
}

/** Something the admin asked for that did not work, shown above the history. */
export interface ActionProblem {
  title: string;
  message: string;
}

interface BackupsState {
  /** Where backups are written; null until the first answer. */
  folder: string | null;
  /** Newest first, as `backups.list` gives them. */
  backups: BackupEntry[];
  /** The remembered options: what one click on "Back up now" uses. */
  options: BackupOptions | null;
  /** False until a list has arrived (no "No backups yet" flash before the first answer). */
  loaded: boolean;
  loading: boolean;
  error: ApiError | null;
  /** The row just written or checked, by name. */
  highlight: string | null;
  /** The backup this screen started last (the button's or a missed scheduled run), by job id. */
  backupJobId: string | null;
  /** From the start of that backup until the history has been refreshed after it. */
  backupRunning: boolean;
  starting: boolean;
  startError: ApiError | null;
  announcement: Announcement | null;
  problem: ActionProblem | null;
  /** Verifications running, job id by backup name. */
  verifying: Record<string, string>;

  load: () => Promise<void>;
  /** Reloads the list, optionally marking one row. */
  refresh: (highlight?: string | null) => Promise<void>;
  /** Starts `backups.create`: without options, the remembered ones apply. */
  backUp: (options?: BackupOptionsInput) => Promise<void>;
  /** Follows a backup job started elsewhere (a missed scheduled run): progress inline, history refreshed at the end. */
  /** Shows a backup job's progress here, unless the window has switched since `generation` (when it was started). */
  follow: (jobId: string, generation?: number) => Promise<void>;
  verify: (name: string) => Promise<void>;
  announce: (text: string) => void;
  /** A new action starts: what earlier ones said (done, or went wrong) is taken down. */
  clearMessages: () => void;
  setProblem: (problem: ActionProblem | null) => void;
}

let requestSeq = 0;
let announcementSeq = 0;

/** What the screen starts from, and goes back to when the window shows another database. */
const initialState = {
  folder: null,
  backups: [],
  options: null,
  loaded: false,
  loading: false,
  error: null,
  highlight: null,
  backupJobId: null,
  backupRunning: false,
  starting: false,
  startError: null,
  announcement: null,
  problem: null,
  verifying: {},
} satisfies Partial<BackupsState>;

export const useBackupsStore = create<BackupsState>()((set, get) => ({
  ...initialState,

  load: async () => {
    const seq = ++requestSeq;
    set({ loading: true, error: null });
    try {
      const { folder, backups, options } = await api.backups.list();
      if (seq !== requestSeq) return;
      set({ folder, backups, options, loaded: true, loading: false });
    } catch (error) {
      if (seq !== requestSeq) return;
      set({ loading: false, error: toApiError(error) });
    }
  },

  refresh: async (highlight = null) => {
    set({ highlight });
    await get().load();
  },

  backUp: async (options) => {
    if (get().starting || get().backupRunning) return;
    set({ starting: true, startError: null, announcement: null, problem: null });
    const generation = connectionGeneration();
    try {
      const { jobId } = await api.backups.create(options ? { options } : {});
      if (!stillOn(generation)) return;
      set({ starting: false });
      await get().follow(jobId);
    } catch (error) {
      if (stillOn(generation)) set({ starting: false, startError: toApiError(error) });
    }
  },

  follow: async (jobId, generation = connectionGeneration()) => {
    // Started for a window that has since switched: that screen is gone, this one is not its.
    if (!stillOn(generation)) return;
    set({ backupJobId: jobId, backupRunning: true, startError: null, announcement: null, problem: null });
    const job = await followBackupJob(jobId);
    // The window shows another database now: its toast said how it ended; this screen is not its.
    if (!stillOn(generation)) return;
    if (job.state === 'succeeded') {
      const entry = backupEntrySchema.safeParse(job.result);
      const name = entry.success ? entry.data.name : null;
      // The row first, then the words: when they are said, the admin can find the row.
      await get().refresh(name);
      set({ backupRunning: false });
      get().announce(name ? `Backup written and verified: ${name}` : (job.summary ?? 'Backup written and verified.'));
    } else {
      // A failed or cancelled backup keeps no file, but the list may have changed meanwhile.
      await get().refresh();
      set({ backupRunning: false });
      if (job.state === 'cancelled') get().announce('Backup cancelled. No file was kept.');
    }
  },

  verify: async (name) => {
    if (get().verifying[name]) return;
    get().clearMessages();
    const generation = connectionGeneration();
    let jobId: string;
    try {
      ({ jobId } = await api.backups.verify({ name }));
    } catch (error) {
      if (!stillOn(generation)) return;
      const apiError = toApiError(error);
      set({ problem: { title: `Could not verify ${name}`, message: apiError.message } });
      if (apiError.code === 'NOT_FOUND') void get().refresh();
      return;
    }
    if (!stillOn(generation)) return;
    set({ verifying: { ...get().verifying, [name]: jobId } });
    await useJobsStore.getState().track(jobId);
    const job = await whenJobEnds(jobId);
    if (!stillOn(generation)) return;
    const { [name]: _done, ...verifying } = get().verifying;
    set({ verifying });
    await get().refresh(name);
    const verification = verificationSchema.safeParse(job.result);
    if (job.state === 'succeeded' && verification.success) {
      const { state, message } = verification.data;
      get().announce(state === 'verified' ? `Verified ${name}: ${message}` : `Verification failed for ${name}: ${message}`);
    } else if (job.state === 'cancelled') {
      get().announce(`Verification of ${name} cancelled.`);
    } else if (job.state === 'failed') {
      set({ problem: { title: `Could not verify ${name}`, message: job.error?.message ?? 'No reason given.' } });
    }
  },

  announce: (text) => set({ announcement: { id: ++announcementSeq, text } }),

  clearMessages: () => set({ announcement: null, problem: null }),

  setProblem: (problem) => set({ problem }),
}));

// Another database in this window: its backups, messages and running work are not this one's.
resetOnSwitch(() => {
  ++requestSeq;
  useBackupsStore.setState(initialState);
});
