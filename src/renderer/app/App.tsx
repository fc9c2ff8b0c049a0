import { useEffect, useRef } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { startJobsFeed } from '../lib/jobsStore';
import { BackupsScreen } from '../features/backups/BackupsScreen';
import { MigrationBanner } from '../features/migrations/MigrationBanner';
import { UsersScreen } from '../features/users/UsersScreen';
import { ConnectionProblem } from './ConnectionProblem';
import { ErrorBoundary } from './ErrorBoundary';
import { screens, useNavigationStore, type ScreenId } from './navigation';
import { PlaceholderScreen } from './PlaceholderScreen';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { useDocumentTitle } from './useDocumentTitle';

function Screen({ id }: { id: ScreenId }) {
  if (id === 'users') return <UsersScreen />;
  if (id === 'backups') return <BackupsScreen />;
  const entry = screens.find((screen) => screen.id === id);
  return entry ? <PlaceholderScreen screen={entry} /> : null;
}

/** The window: sidebar, the chosen screen (with notices and the migrations banner), status bar, toasts. */
export function App() {
  const info = useAppInfoStore((s) => s.info);
  const loading = useAppInfoStore((s) => s.loading);
  const error = useAppInfoStore((s) => s.error);
  const load = useAppInfoStore((s) => s.load);
  const screen = useNavigationStore((s) => s.screen);
  const mainRef = useRef<HTMLElement>(null);
  const firstScreen = useRef(true);
  useDocumentTitle();

  useEffect(() => {
    void useAppInfoStore.getState().load();
    return startJobsFeed((event) => useAppInfoStore.getState().applyEvent(event));
  }, []);

  // After choosing a screen, focus goes to its heading, so a screen reader says where it is.
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('.screen-title');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [screen]);

  return (
    <div className="app">
      <Sidebar />
      <main className="app-main" ref={mainRef}>
        <div className="app-content">
          <ErrorBoundary what="this screen" resetKey={screen}>
            {error && <ConnectionProblem error={error} onRetry={() => void load()} />}
            {!info && loading && (
              <p role="status" className="loading">
                Connecting to the database…
              </p>
            )}
            <MigrationBanner />
            <Screen id={screen} />
          </ErrorBoundary>
        </div>
      </main>
      <StatusBar />
      <Toasts />
    </div>
  );
}
