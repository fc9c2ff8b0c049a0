import { create } from 'zustand';
import { api } from '../../lib/api';
import { connectionGeneration, resetOnSwitch, stillOn } from '../../lib/currentConnection';
import { toApiError } from '../../lib/toApiError';
import { toast } from '../../lib/toastStore';

/** A user as their products panel shows them. */
export interface PanelUser {
  id: number;
  email: string;
  name: string;
}

interface UserProductsPanelState {
  /** Whose products are open on the Users screen; null when none. */
  user: PanelUser | null;
  /** An open asked for by id (from another screen) that is still being fetched. */
  opening: number | null;
  /**
   * What had focus when the panel was asked for (the row's Products button): focus goes back there
   * when it closes. Taken when asked, not when the panel mounts, by which time focus may sit in the
   * panel being replaced. It may be gone by then (another screen's button): see the drawer.
   */
  opener: HTMLElement | null;
  open: (user: PanelUser) => void;
  /** Fetches the user first (another screen knows only the id, or an email that may have changed). */
  openById: (id: number) => Promise<void>;
  close: () => void;
  /** After a delete: a panel whose user is gone closes (its products have no owner any more). */
  closeIfGone: () => Promise<void>;
}

function focused(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
}

/** Which user's products panel is open: kept outside the screen so another screen can open one. */
export const useUserProductsPanelStore = create<UserProductsPanelState>()((set, get) => ({
  user: null,
  opening: null,
  opener: null,

  open: (user) => set({ user: { id: user.id, email: user.email, name: user.name }, opening: null, opener: focused() }),

  closeIfGone: async () => {
    const user = get().user;
    if (!user) return;
    const generation = connectionGeneration();
    try {
      await api.users.get({ id: user.id });
    } catch (error) {
      if (stillOn(generation) && get().user?.id === user.id && toApiError(error).code === 'NOT_FOUND') get().close();
    }
  },

  openById: async (id) => {
    const opener = focused();
    set({ opening: id });
    const generation = connectionGeneration();
    try {
      const user = await api.users.get({ id });
      // Only the latest ask opens, and only on the database it was asked on.
      if (stillOn(generation) && get().opening === id) set({ user: { id: user.id, email: user.email, name: user.name }, opening: null, opener });
    } catch (error) {
      if (!stillOn(generation) || get().opening !== id) return;
      set({ opening: null });
      const apiError = toApiError(error);
      toast(
        apiError.code === 'NOT_FOUND'
          ? `User #${id} no longer exists; it may have been deleted elsewhere.`
          : `Could not open user #${id}: ${apiError.message}`,
        'error',
      );
    }
  },

  close: () => set({ user: null, opening: null }),
}));

// Another database: its user #42 is not this one.
resetOnSwitch(() => useUserProductsPanelStore.getState().close());
