import { useEffect } from 'react';
import { ErrorAlert } from './components/ErrorAlert';
import { MigrationBanner } from './components/MigrationBanner';
import { NoticeArea } from './components/NoticeArea';
import { StatusBar } from './components/StatusBar';
import { UsersScreen } from './screens/UsersScreen';
import { useAppStore } from './stores/appStore';

/** The window: header, notices, the migrations banner when needed, the users screen, status bar. */
export function App() {
  const info = useAppStore((s) => s.info);
  const loading = useAppStore((s) => s.loading);
  const error = useAppStore((s) => s.error);
  const load = useAppStore((s) => s.load);

  useEffect(() => {
    void useAppStore.getState().load();
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Simple DB</h1>
      </header>
      <main className="app-main">
        <NoticeArea />
        {error && (
          <ErrorAlert title="Cannot reach the database" message={error.message} onRetry={() => void load()} />
        )}
        {!info && loading && (
          <p role="status" className="loading">
            Connecting to the database…
          </p>
        )}
        <MigrationBanner />
        <UsersScreen />
      </main>
      <StatusBar />
    </div>
  );
}
