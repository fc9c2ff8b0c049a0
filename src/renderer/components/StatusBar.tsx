import { countOf } from '../format/count';
import { databaseLabel, serverVersionText } from '../format/database';
import { useAppStore } from '../stores/appStore';

/** Which database this window is working on, and whether its schema is current. */
export function StatusBar() {
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);

  if (!info) {
    return (
      <footer className="status-bar" aria-label="Database status">
        <span className="status-item">{error ? 'Not connected' : 'Connecting…'}</span>
      </footer>
    );
  }

  const { database, migrations } = info;
  const pending = migrations.pending.length;
  return (
    <footer className="status-bar" aria-label="Database status">
      <span className="status-item status-database">{databaseLabel(database)}</span>
      {/* Embedded already names its version; a remote server's version is worth its own item. */}
      {database.kind === 'url' && <span className="status-item">{serverVersionText(database)}</span>}
      <span className={pending > 0 ? 'status-item status-warning' : 'status-item status-ok'}>
        {pending > 0 ? `${countOf(pending, 'migration')} pending` : 'Schema up to date'}
      </span>
      <span className="status-item status-version">Simple DB {info.version}</span>
    </footer>
  );
}
