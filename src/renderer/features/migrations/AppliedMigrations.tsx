import { DisclosureSection } from '../../ui/DisclosureSection';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { countOf } from '../../lib/format/count';
import { missingIndexCount } from './planFormat';
import { useMigrationStatus } from './useMigrationStatus';

/**
 * "Schema migrations", collapsed until asked for: each applied migration with the backup taken
 * just before it, so the admin knows which file holds the database as it was before that change.
 */
export function AppliedMigrations() {
  return <DisclosureSection title="Schema migrations">{() => <AppliedMigrationsList />}</DisclosureSection>;
}

function AppliedMigrationsList() {
  const { state, error } = useMigrationStatus();

  if (error) return <ErrorAlert message={`Could not read the migrations: ${error.message}`} />;
  if (!state) return <p className="muted">Reading the migrations…</p>;
  return (
    <div>
      {state.applied.length === 0 ? (
        <p className="muted">No migration has been applied to this database.</p>
      ) : (
        <ul className="migration-list">
          {state.applied.map((name) => {
            const backup = state.backupsBefore?.[name];
            return (
              <li key={name}>
                <code>{name}</code> —{' '}
                {backup ? (
                  <>
                    backup before it: <code>{backup}</code>
                  </>
                ) : (
                  <span className="muted">no backup taken before it by Simple DB</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {state.pending.length > 0 && <p className="muted">{state.pending.length} pending: apply them from the banner above.</p>}
      {state.pending.length === 0 && missingIndexCount(state) > 0 && (
        <p className="muted">{countOf(missingIndexCount(state), 'index', 'indexes')} of theirs missing: build them from the banner above.</p>
      )}
    </div>
  );
}
