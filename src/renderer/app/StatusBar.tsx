import { useAppInfoStore } from '../lib/appInfoStore';
import { countOf } from '../lib/format/count';
import { databaseLabel, serverVersionText } from '../lib/format/database';

/** Which database this window is working on, and whether its schema is current. */
export function StatusBar() {
  const info = useAppInfoStore((s) => s.info);
  const error = useAppInfoStore((s) => s.error);
  const connection = useAppInfoStore((s) => s.connection);

  if (!info) {
    return (
      <footer className="status-bar" aria-label="Database status">
        <span className="status-item">{error ? 'Not connected' : 'Connecting…'}</span>
      </footer>
    );
  }

  const { database, migrations } = info;
  const pending = migrations.pending.length;
  const lost = connection !== null && connection.state !== 'open';
  return (
    <footer className="status-bar" aria-label="Database status">
      <span className="status-item status-database">{databaseLabel(database)}</span>
      {/* Embedded already names its version; a remote server's version is worth its own item. */}
      {database.kind === 'url' && <span className="status-item">{serverVersionText(database)}</span>}
      <span className={pending > 0 ? 'status-item status-warning' : 'status-item status-ok'}>
        {pending > 0 ? `${countOf(pending, 'migration')} pending` : 'Schema up to date'}
      </span>
      {lost && (
        <span className="status-item status-warning">
          {connection.state === 'lost' ? 'Connection lost' : 'Connection closed'}
          {connection.message ? `: ${connection.message}` : ''}
        </span>
      )}
      <span className="status-item status-version">Simple DB {info.version}</span>
    </footer>
  );
}
