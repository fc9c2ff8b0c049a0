import { useState } from 'react';
import { useAppInfoStore } from '../lib/appInfoStore';
import { countOf } from '../lib/format/count';
import { databaseLabel, serverVersionText } from '../lib/format/database';
import { ColorTag, ReadOnlyBadge } from '../features/connections/ColorTag';
import { useCurrentConnectionView } from '../features/connections/connectionsStore';
import { MIGRATIONS_HEADING_ID } from '../features/connections/MigrationsPanel';
import { AboutDialog } from './AboutDialog';
import { useNavigationStore } from './navigation';

/** A loss (or a close) is said in a live region that is always in the bar, so it is announced when it happens. */
function ConnectionState({ state, message }: { state: 'open' | 'lost' | 'closed'; message: string | undefined }) {
  return (
    <span role="status" className={state === 'open' ? 'status-live-empty' : 'status-item status-warning status-lost'}>
      {state !== 'open' && `${state === 'lost' ? 'Connection lost' : 'Connection closed'}${message ? `: ${message}` : ''}`}
    </span>
  );
}

/**
 * Which database this window is working on (its name and colour tag, address, read-only), whether
 * it is reachable, and whether its schema is current (a way to the migrations panel).
 */
export function StatusBar() {
  const info = useAppInfoStore((s) => s.info);
  const error = useAppInfoStore((s) => s.error);
  const view = useCurrentConnectionView();
  const go = useNavigationStore((s) => s.go);
  const [aboutOpen, setAboutOpen] = useState(false);

  if (!info) {
    return (
      <footer className="status-bar" aria-label="Database status">
        {view.name && (
          <span className="status-item status-connection">
            <ColorTag color={view.color} />
            {view.name}
          </span>
        )}
        {view.readOnly && <ReadOnlyBadge />}
        <span className="status-item">{error ? 'Not connected' : 'Connecting…'}</span>
        <ConnectionState state={view.state} message={view.message} />
      </footer>
    );
  }

  const { database, migrations } = info;
  const pending = migrations.pending.length;
  // Indexes an earlier apply had to skip (pg_trgm was missing) and that can be built now.
  const missingIndexes = migrations.missingIndexes?.length ?? 0;
  const label = databaseLabel(database);
  // "Embedded PostgreSQL" is already said by "Embedded PostgreSQL 15.4".
  const showName = view.name !== null && !label.startsWith(view.name);
  return (
    <footer className="status-bar" aria-label="Database status">
      {showName && (
        <span className="status-item status-connection">
          <ColorTag color={view.color} />
          {view.name}
        </span>
      )}
      <span className="status-item status-database">
        {!showName && <ColorTag color={view.color} />}
        {database.kind === 'embedded' ? label : `${database.user}@${label}`}
      </span>
      {/* Embedded already names its version; a remote server's version is worth its own item. */}
      {database.kind !== 'embedded' && <span className="status-item">{serverVersionText(database)}</span>}
      {view.readOnly && (
        <span className="status-item">
          <ReadOnlyBadge />
        </span>
      )}
      <button
        type="button"
        className={`status-item status-link ${pending > 0 || missingIndexes > 0 ? 'status-warning' : 'status-ok'}`}
        onClick={() => go('connections', MIGRATIONS_HEADING_ID)}
      >
        {pending > 0
          ? `${countOf(pending, 'migration')} pending`
          : missingIndexes > 0
            ? `${countOf(missingIndexes, 'index', 'indexes')} to build`
            : 'Schema up to date'}
      </button>
      <ConnectionState state={view.state} message={view.message} />
      <button type="button" className="status-item status-link status-version" onClick={() => setAboutOpen(true)} aria-haspopup="dialog">
        Simple DB {info.version}
      </button>
      {aboutOpen && <AboutDialog info={info} onClose={() => setAboutOpen(false)} />}
    </footer>
  );
}
