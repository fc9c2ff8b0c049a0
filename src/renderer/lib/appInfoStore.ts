import { create } from 'zustand';
import type { AppEvent, AppInfo } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { api } from './api';
import { currentConnectionId, resetOnSwitch, useCurrentConnectionStore } from './currentConnection';
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
    const asked = currentConnectionId();
    set({ loading: true, error: null });
    try {
      const info = await api.app.info();
      if (seq !== requestSeq) return;
      // No connection chosen yet: the one the app started on is this window's from now on.
      useCurrentConnectionStore.getState().adopt(info.database.id);
      set({ info, loading: false });
    } catch (error) {
      if (seq !== requestSeq) return;
      const apiError = toApiError(error);
      // A connection remembered by this tab that Simple DB no longer knows (restarted, deleted
      // elsewhere): go back to the app's start connection rather than show nothing.
      if (apiError.code === 'NOT_FOUND' && asked !== null && get().info === null) {
        useCurrentConnectionStore.getState().forget();
        return;
      }
      set({ loading: false, error: apiError });
    }
  },

  applyEvent: (event) => {
    if (event.type !== 'connection.state') return;
    const current = currentConnectionId() ?? get().info?.database.id;
    if (current === undefined || event.connectionId !== current) return;
    const before = get().connection?.state;
    set({ connection: { state: event.state, message: event.message } });
    // Back after a loss: ask again, the server may have been upgraded or migrated meanwhile.
    if (before === 'lost' && event.state === 'open') void get().load();
  },
}));

// Another database in this window: nothing said about the last one holds; ask again.
resetOnSwitch(() => {
  ++requestSeq;
  useAppInfoStore.setState({ info: null, loading: false, error: null, connection: null });
  void useAppInfoStore.getState().load();
});

/** Names of migrations the database still needs; empty until app info arrives. */
export function selectPendingMigrations(state: AppInfoState): readonly string[] {
  return state.info?.migrations.pending ?? NO_MIGRATIONS;
}
const NO_MIGRATIONS: readonly string[] = [];
