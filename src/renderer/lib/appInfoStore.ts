import { create } from 'zustand';
import type { AppEvent, AppInfo } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { api } from './api';
import { toApiError } from './toApiError';

type ConnectionStateEvent = Extract<AppEvent, { type: 'connection.state' }>;

interface AppInfoState {
  /** Last good answer of `app.info`; kept through a failed reload so the screen does not blank. */
  info: AppInfo | null;
  loading: boolean;
  error: ApiError | null;
  /** The latest word on this window's connection from the event stream (null: nothing said yet). */
  connection: Pick<ConnectionStateEvent, 'state' | 'message'> | null;
  load: () => Promise<void>;
  applyEvent: (event: AppEvent) => void;
}

let requestSeq = 0;

export const useAppInfoStore = create<AppInfoState>()((set, get) => ({
  info: null,
  loading: false,
  error: null,
  connection: null,

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

  applyEvent: (event) => {
    if (event.type !== 'connection.state') return;
    const info = get().info;
    if (info && event.connectionId !== info.database.id) return;
    const before = get().connection?.state;
    set({ connection: { state: event.state, message: event.message } });
    // Back after a loss: ask again, the server may have been upgraded or migrated meanwhile.
    if (before === 'lost' && event.state === 'open') void get().load();
  },
}));

/** Names of migrations the database still needs; empty until app info arrives. */
export function selectPendingMigrations(state: AppInfoState): readonly string[] {
  return state.info?.migrations.pending ?? NO_MIGRATIONS;
}
const NO_MIGRATIONS: readonly string[] = [];
