import { useEffect, useRef } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { useCurrentConnectionStore } from '../lib/currentConnection';
import { startJobsFeed } from '../lib/jobsStore';
import { BackupsScreen } from '../features/backups/BackupsScreen';
import { ConnectionsScreen } from '../features/connections/ConnectionsScreen';
import { useConnectionsStore } from '../features/connections/connectionsStore';
import { MigrationBanner } from '../features/migrations/MigrationBanner';
import { ProductsScreen } from '../features/products/ProductsScreen';
import { UsersScreen } from '../features/users/UsersScreen';
import { ConnectionProblem } from './ConnectionProblem';
import { ErrorBoundary } from './ErrorBoundary';
import { screens, useNavigationStore, type ScreenId } from './navigation';
import { PlaceholderScreen } from './PlaceholderScreen';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { useConnectionColor } from './useConnectionColor';
import { useDocumentTitle } from './useDocumentTitle';

function Screen({ id }: { id: ScreenId }) {
  if (id === 'users') return <UsersScreen />;
  if (id === 'products') return <ProductsScreen />;
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
  const focusId = useNavigationStore((s) => s.focusId);
  const visit = useNavigationStore((s) => s.visit);
  // A switch to another connection starts every screen afresh: nothing typed or opened for one
  // database is left showing over another. (The connections screen lists them all: it stays.)
  const generation = useCurrentConnectionStore((s) => s.generation);
  const mainRef = useRef<HTMLElement>(null);
  const firstScreen = useRef(true);
  const color = useConnectionColor();
  useDocumentTitle();

  useEffect(() => {
    void useAppInfoStore.getState().load();
    void useConnectionsStore.getState().load();
    return startJobsFeed((event) => {
      useAppInfoStore.getState().applyEvent(event);
      useConnectionsStore.getState().applyEvent(event);
    });
  }, []);

  // After choosing a screen, focus goes to its heading (or the part asked for), so a screen reader says where it is.
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    const target = (focusId ? document.getElementById(focusId) : null) ?? mainRef.current?.querySelector<HTMLElement>('.screen-title');
    if (target) {
      if (target.tabIndex < 0) target.tabIndex = -1;
      target.focus();
      if (focusId) target.scrollIntoView({ block: 'start' });
    }
  }, [screen, focusId, visit]);

  return (
    <div className="app" data-connection-color={color}>
      <Sidebar />
      <main className="app-main" ref={mainRef}>
        <div className="app-content">
          <ErrorBoundary what="this screen" resetKey={`${screen}-${generation}`}>
            {error && <ConnectionProblem error={error} onRetry={() => void load()} />}
            {!info && loading && (
              <p role="status" className="loading">
                Connecting to the database…
              </p>
            )}
            <MigrationBanner key={`banner-${generation}`} />
            {screen === 'connections' ? <ConnectionsScreen /> : <Screen key={generation} id={screen} />}
          </ErrorBoundary>
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
