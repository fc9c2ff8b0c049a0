import { themePreferences, useThemeStore, type ThemePreference } from './theme';

const LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The theme toggle: system (default), light or dark. */
export function ThemeSelect() {
  const preference = useThemeStore((s) => s.preference);
  const setPreference = useThemeStore((s) => s.setPreference);
  return (
    <div className="sidebar-field">
      <label htmlFor="theme-select" className="field-label">
        Theme
      </label>
      <select
        id="theme-select"
        className="select"
        value={preference}
        onChange={(event) => {
          const value = themePreferences.find((option) => option === event.target.value);
          if (value) setPreference(value);
        }}
      >
        {themePreferences.map((option) => (
          <option key={option} value={option}>
            {LABELS[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
