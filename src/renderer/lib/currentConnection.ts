import { create } from 'zustand';

/** This tab's choice survives a reload (sessionStorage), never another window's. */
const STORAGE_KEY = 'simple-db-connection';

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(id: string | null): void {
  try {
    if (id === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, id);
  } catch {
    // Storage refused (private mode, quota): the choice still holds until the window reloads.
  }
}

type Reset = () => void;
/** What each screen's store forgets when the window moves to another database. */
const resets = new Set<Reset>();

/**
 * Registers what a store does when the window switches connection: forget rows, messages and
 * requests in flight (and load again if it must). Returns the way to stop.
 */
export function resetOnSwitch(reset: Reset): () => void {
  resets.add(reset);
  return () => resets.delete(reset);
}

interface CurrentConnectionState {
  /** The connection this window shows; null until known (calls then go to the app's start connection). */
  id: string | null;
  /** Bumped on every switch: screens are keyed by it, and work started before a switch compares it. */
  generation: number;
  /** The connection `app.info` named when none was chosen yet: taken as the window's, nothing reset. */
  adopt: (id: string) => void;
  /** Shows another connection in this window: every screen's state is reset and loads again. */
  switchTo: (id: string) => void;
  /** The chosen connection is gone (deleted, unknown after a restart): back to the app's start connection. */
  forget: () => void;
  /** The window's connection was opened again (perhaps on another server after an edit): every screen starts over. */
  reload: () => void;
}

function runResets(): void {
  for (const reset of resets) reset();
}

/** Which connection this window works on. Every call carries it (see lib/api.ts). */
export const useCurrentConnectionStore = create<CurrentConnectionState>()((set, get) => ({
  id: readStored(),
  generation: 0,

  adopt: (id) => {
    if (get().id !== null) return;
    store(id);
    set({ id });
  },

  switchTo: (id) => {
    if (get().id === id) return;
    store(id);
    set({ id, generation: get().generation + 1 });
    runResets();
  },

  forget: () => {
    store(null);
    set({ id: null, generation: get().generation + 1 });
    runResets();
  },

  reload: () => {
    set({ generation: get().generation + 1 });
    runResets();
  },
}));

export function currentConnectionId(): string | null {
  return useCurrentConnectionStore.getState().id;
}

export function connectionGeneration(): number {
  return useCurrentConnectionStore.getState().generation;
}

/** Whether the window still shows the connection it showed at `generation` (no switch since). */
export function stillOn(generation: number): boolean {
  return useCurrentConnectionStore.getState().generation === generation;
}
