import { create } from 'zustand';
import type { AppInfo } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { api } from '../api/api';
import { toApiError } from '../api/toApiError';

interface AppState {
  /** Last good answer of `app.info`; kept through a failed reload so the screen does not blank. */
  info: AppInfo | null;
  loading: boolean;
  error: ApiError | null;
  load: () => Promise<void>;
}

let requestSeq = 0;

export const useAppStore = create<AppState>()((set) => ({
  info: null,
  loading: false,
  error: null,

  load: async () => {
    const seq = ++requestSeq;
    set({ loading: true, error: null });
    try {
      const info = await api.app.info();
      if (seq === requestSeq) set({ info, loading: false });
    } catch (error) {
      if (seq === requestSeq) set({ loading: false, error: toApiError(error) });
    }
  },
}));

/** Names of migrations the database still needs; empty until app info arrives. */
export function selectPendingMigrations(state: AppState): readonly string[] {
  return state.info?.migrations.pending ?? NO_MIGRATIONS;
}
const NO_MIGRATIONS: readonly string[] = [];
