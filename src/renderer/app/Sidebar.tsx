import { ConnectionSwitcher } from './ConnectionSwitcher';
import { JobsIndicator } from './JobsIndicator';
import { screens, useNavigationStore } from './navigation';
import { ThemeSelect } from './ThemeSelect';
import { Toasts } from './Toasts';

/** The connection this window shows (and a switcher), the app's navigation, toasts, the jobs indicator and the theme toggle. */
export function Sidebar() {
  const current = useNavigationStore((s) => s.screen);
  const go = useNavigationStore((s) => s.go);
  return (
    <aside className="sidebar">
      <p className="app-title">Simple DB</p>
      <ConnectionSwitcher />
      <nav className="sidebar-nav" aria-label="Main">
        <ul className="nav-list">
          {screens.map((screen) => (
            <li key={screen.id}>
              <button
                type="button"
                className={`nav-item${screen.id === current ? ' nav-item-current' : ''}${screen.available ? '' : ' nav-item-soon'}`}
                aria-current={screen.id === current ? 'page' : undefined}
                aria-label={screen.available ? undefined : `${screen.label} (not yet available)`}
                onClick={() => go(screen.id)}
              >
                <span className="nav-label">{screen.label}</span>
                {!screen.available && <span className="nav-badge">not yet available</span>}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {/* Toasts live here, beside the content rather than over it: never over a table's rows. */}
      <Toasts />
      <div className="sidebar-footer">
        <JobsIndicator />
        <ThemeSelect />
      </div>
    </aside>
  );
}
