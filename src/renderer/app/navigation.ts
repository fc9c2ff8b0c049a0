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
  { id: 'products', label: 'Products', available: false },
  { id: 'backups', label: 'Backups', available: true },
  { id: 'connections', label: 'Connections', available: false },
];

interface NavigationState {
  screen: ScreenId;
  go: (screen: ScreenId) => void;
}

/** Which screen the main area shows. Screens keep their own state (stores) while hidden. */
export const useNavigationStore = create<NavigationState>()((set) => ({
  screen: 'users',
  go: (screen) => set({ screen }),
}));
