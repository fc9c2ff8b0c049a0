import { useState } from 'react';
import { countOf } from '../../lib/format/count';
import { databaseAddress } from '../../lib/format/database';
import { selectPendingMigrations, useAppInfoStore } from '../../lib/appInfoStore';
import { toast } from '../../lib/toastStore';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { ApplyMigrationsDialog } from './ApplyMigrationsDialog';

/**
 * Shown when the database is behind this version of Simple DB. Migrations are never applied
 * behind the admin's back on a database they brought; they are listed and applied on request,
 * and never on a connection marked read-only.
 */
export function MigrationBanner() {
  const info = useAppInfoStore((s) => s.info);
  const pending = useAppInfoStore(selectPendingMigrations);
  const { readOnly } = useCurrentConnectionView();
  const [confirming, setConfirming] = useState(false);

  if (!info || pending.length === 0) return null;
  const target = databaseAddress(info.database);

  return (
    <section className="banner banner-warning" aria-labelledby="migrations-heading">
      <h2 id="migrations-heading" className="banner-title">
        {countOf(pending.length, 'migration')} pending
      </h2>
      <p>This database needs these schema changes before Simple DB can manage its users:</p>
      <ul className="migration-list">
        {pending.map((name) => (
          <li key={name}>
            <code>{name}</code>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button-primary"
        disabled={readOnly}
        aria-describedby={readOnly ? 'migrations-banner-readonly' : undefined}
        onClick={() => setConfirming(true)}
      >
        Apply migrations
      </button>
      {readOnly && (
        <p id="migrations-banner-readonly" className="banner-note">
          This connection is read-only: Simple DB does not change its schema.
        </p>
      )}
      {confirming && (
        <ApplyMigrationsDialog
          pending={pending}
          target={target}
          backupByDefault={info.database.kind !== 'embedded'}
          onCancel={() => setConfirming(false)}
          onApplied={(count) => {
            setConfirming(false);
            toast(`Applied ${countOf(count, 'migration')}.`);
            // Reloading app info clears the banner; the users screen then loads its list.
            void useAppInfoStore.getState().load();
          }}
        />
      )}
    </section>
  );
}
