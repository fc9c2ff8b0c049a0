import { create } from 'zustand';

export const themePreferences = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof themePreferences)[number];
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'simple-db-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (themePreferences as readonly string[]).includes(value);
}

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

function systemTheme(): Theme {
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

function resolve(preference: ThemePreference): Theme {
  return preference === 'system' ? systemTheme() : preference;
}

interface ThemeState {
  preference: ThemePreference;
  theme: Theme;
  setPreference: (preference: ThemePreference) => void;
}

/** Light, dark, or whatever the system says (the default); the choice is remembered per machine. */
export const useThemeStore = create<ThemeState>()((set) => {
  const preference = readPreference();
  return {
    preference,
    theme: resolve(preference),
    setPreference: (next) => {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Storage refused (private mode, quota): the choice still holds for this window.
      }
      set({ preference: next, theme: resolve(next) });
    },
  };
});

/**
 * Puts the theme on <html data-theme> (the stylesheet keys its colours on it) and follows the
 * system while the preference is "system". Called once before the first render, so no flash.
 */
export function startTheme(): () => void {
  const root = document.documentElement;
  const apply = (theme: Theme) => {
    root.dataset.theme = theme;
  };
  apply(useThemeStore.getState().theme);
  const unsubscribe = useThemeStore.subscribe((state) => apply(state.theme));
  const media = window.matchMedia(DARK_QUERY);
  const onSystemChange = () => {
    const { preference } = useThemeStore.getState();
    if (preference === 'system') useThemeStore.setState({ theme: systemTheme() });
  };
  media.addEventListener('change', onSystemChange);
  return () => {
    unsubscribe();
    media.removeEventListener('change', onSystemChange);
  };
}
