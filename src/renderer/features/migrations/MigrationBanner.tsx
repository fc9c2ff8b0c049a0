import { useState } from 'react';
import { countOf } from '../../lib/format/count';
import { databaseAddress } from '../../lib/format/database';
import { selectPendingMigrations, useAppInfoStore } from '../../lib/appInfoStore';
import { toast } from '../../lib/toastStore';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { ApplyMigrationsDialog } from './ApplyMigrationsDialog';
import { missingIndexCount } from './planFormat';

/**
 * Shown when the database is behind this version of Simple DB. Migrations are never applied
 * behind the admin's back on a database they brought; they are listed and applied on request,
 * and never on a connection marked read-only. Also shown, with nothing pending, while applied
 * migrations' indexes are missing and can be built (pg_trgm was added since they ran, say): the
 * screens work, only slower, so it says that rather than that the schema is behind.
 */
export function MigrationBanner() {
  const info = useAppInfoStore((s) => s.info);
  const pending = useAppInfoStore(selectPendingMigrations);
  const { readOnly } = useCurrentConnectionView();
  const [confirming, setConfirming] = useState(false);

  const missing = missingIndexCount(info?.migrations);
  if (!info || (pending.length === 0 && missing === 0)) return null;
  const target = databaseAddress(info.database);
  const onlyIndexes = pending.length === 0;

  return (
    <section className="banner banner-warning" aria-labelledby="migrations-heading">
      <h2 id="migrations-heading" className="banner-title">
        {onlyIndexes ? `${countOf(missing, 'index', 'indexes')} to build` : `${countOf(pending.length, 'migration')} pending`}
      </h2>
      {onlyIndexes ? (
        <p>
          Applied migrations declare {missing === 1 ? 'an index that is' : 'indexes that are'} missing here and can be built now (not buildable when
          they ran, for want of an extension such as pg_trgm, or dropped since). Until {missing === 1 ? 'it is' : 'they are'} built, searching and
          sorting may read whole tables.
        </p>
      ) : (
        <>
          <p>This database needs these schema changes before Simple DB can manage its users and products:</p>
          <ul className="migration-list">
            {pending.map((name) => (
              <li key={name}>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <button
        type="button"
        className="button button-primary"
        disabled={readOnly}
        aria-describedby={readOnly ? 'migrations-banner-readonly' : undefined}
        onClick={() => setConfirming(true)}
      >
        {onlyIndexes ? 'Build indexes' : 'Apply migrations'}
      </button>
      {readOnly && (
        <p id="migrations-banner-readonly" className="banner-note">
          This connection is read-only: Simple DB does not change its schema.
        </p>
      )}
      {confirming && (
        <ApplyMigrationsDialog
          pending={pending}
          missingIndexes={info.migrations.missingIndexes ?? []}
          target={target}
          backupByDefault={info.database.kind !== 'embedded'}
          onCancel={() => setConfirming(false)}
          onApplied={(notice) => {
            setConfirming(false);
            toast(notice);
            // Reloading app info clears the banner; the users screen then loads its list.
            void useAppInfoStore.getState().load();
          }}
        />
      )}
    </section>
  );
}
