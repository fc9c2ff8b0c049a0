import { create } from 'zustand';

export type ScreenId = 'users' | 'products' | 'backups' | 'connections';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** False: listed so the admin sees what is coming, and says so; it opens a short note, not a broken page. */
  available: boolean;
}

/** The sidebar, top to bottom. */
export const screens: readonly ScreenEntry[] = [
  { id: 'users', label: 'Users', available: true },
  { id: 'products', label: 'Products', available: true },
  { id: 'backups', label: 'Backups', available: true },
  { id: 'connections', label: 'Connections', available: true },
];

interface NavigationState {
  screen: ScreenId;
  /** An element on the screen to bring focus to instead of its heading (by id), e.g. the migrations panel. */
  focusId: string | null;
  /** Bumped on every `go`, so going to the screen already shown still moves focus. */
  visit: number;
  go: (screen: ScreenId, focusId?: string) => void;
}

/** Which screen the main area shows. Screens keep their own state (stores) while hidden. */
export const useNavigationStore = create<NavigationState>()((set, get) => ({
  screen: 'users',
  focusId: null,
  visit: 0,
  go: (screen, focusId) => set({ screen, focusId: focusId ?? null, visit: get().visit + 1 }),
}));
