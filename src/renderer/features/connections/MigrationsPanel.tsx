import { useState } from 'react';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { countOf } from '../../lib/format/count';
import { databaseAddress } from '../../lib/format/database';
import { toast } from '../../lib/toastStore';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type { MigrationPlan } from '../../../shared/contract';
import { sizeText } from '../../../shared/size-text';
import { ApplyMigrationsDialog } from '../migrations/ApplyMigrationsDialog';
import { isMissingIndexes, missingIndexCount, planTotals, roughTime } from '../migrations/planFormat';
import { useMigrationStatus } from '../migrations/useMigrationStatus';
import { RollbackDialog } from './RollbackDialog';

interface MigrationsPanelProps {
  /** The connection's name, for the heading. */
  name: string;
  readOnly: boolean;
}

/** "builds 7 indexes, ~12.3 MB, ~4 s (the tables keep serving)": the apply dialog lists each one. */
function planSummary(plan: MigrationPlan): string {
  const { built, skipped, bytes, seconds, concurrently } = planTotals(plan);
  const parts = [`builds ${countOf(built, 'index', 'indexes')}, ~${sizeText(bytes)}, ${roughTime(seconds)}`];
  if (concurrently === 'all') parts.push('the tables keep serving meanwhile');
  else if (concurrently === 'some') parts.push('some built while the tables keep serving');
  if (skipped > 0) parts.push(`${countOf(skipped, 'index', 'indexes')} skipped (see Apply)`);
  return parts.join('; ');
}

/** The id of the panel's heading: the status bar's migrations item brings focus here. */
export const MIGRATIONS_HEADING_ID = 'migrations-panel-heading';

/**
 * The schema of the connection this window shows: what is applied (with the backup before each),
 * what is pending, Apply (backup first by choice) and Roll back newest (typing the database name).
 * A read-only connection shows both, refused, with the reason.
 */
export function MigrationsPanel({ name, readOnly }: MigrationsPanelProps) {
  const info = useAppInfoStore((s) => s.info);
  const [dialog, setDialog] = useState<'none' | 'apply' | 'rollback'>('none');
  // App info changes after every apply, rollback or restore (anywhere): read the state again.
  const [reloads, setReloads] = useState(0);
  const { state, error, setState } = useMigrationStatus(info?.migrations, reloads);

  if (!info) return null;
  const target = databaseAddress(info.database);
  const newest = state?.applied.at(-1);
  const reasonId = 'migrations-readonly-reason';
  // Indexes applied migrations declare but that are missing and can be built now: work to do although nothing is pending.
  const missing = missingIndexCount(state);
  const repairs = state?.plans?.filter(isMissingIndexes) ?? [];
  const work = (state?.pending.length ?? 0) > 0 || missing > 0;

  return (
    <section className="panel migrations-panel" aria-labelledby={MIGRATIONS_HEADING_ID}>
      <h3 id={MIGRATIONS_HEADING_ID} className="section-title" tabIndex={-1}>
        Migrations on {name}
      </h3>
      {error && <ErrorAlert title="Could not read the migrations" message={error.message} onRetry={() => setReloads((n) => n + 1)} />}
      {!state && !error && <p className="muted">Reading the migrations…</p>}
      {state && (
        <div className="migrations-columns">
          <div>
            <h4 className="subsection-title">Pending ({state.pending.length})</h4>
            {state.pending.length === 0 ? (
              <p className="muted">
                {missing > 0
                  ? `None, but ${countOf(missing, 'index', 'indexes')} to build: applied migrations declare ${missing === 1 ? 'it' : 'them'}, and ${missing === 1 ? 'it is' : 'they are'} missing.`
                  : 'None: the schema is what this version of Simple DB needs.'}
              </p>
            ) : (
              <ul className="migration-list" aria-label="Pending migrations">
                {state.pending.map((migration) => {
                  const plan = state.plans?.find((candidate) => candidate.name === migration);
                  return (
                    <li key={migration}>
                      <code>{migration}</code>
                      {plan && <span className="muted"> — {planSummary(plan)}</span>}
                    </li>
                  );
                })}
              </ul>
            )}
            {missing > 0 && (
              <>
                <h4 className="subsection-title">Indexes to build ({missing})</h4>
                <p className="field-hint">
                  Not buildable when their migration ran (an extension such as pg_trgm was not installed), or dropped since. Until they are built,
                  searching and sorting may read whole tables.
                </p>
                <ul className="migration-list" aria-label="Missing indexes">
                  {repairs.flatMap((plan) =>
                    plan.indexes.map((index) => (
                      <li key={index.name}>
                        <code>{index.name}</code>
                        <span className="muted">
                          {' '}
                          — {index.purpose}, ~{sizeText(index.estimatedBytes)}, {roughTime(index.estimatedSeconds)} (of <code>{plan.name}</code>)
                        </span>
                      </li>
                    )),
                  )}
                </ul>
              </>
            )}
          </div>
          <div>
            <h4 className="subsection-title">Applied ({state.applied.length})</h4>
            {state.applied.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ol className="migration-list" aria-label="Applied migrations">
                {state.applied.map((migration) => {
                  const backup = state.backupsBefore?.[migration];
                  return (
                    <li key={migration}>
                      <code>{migration}</code>
                      {backup && (
                        <span className="muted">
                          {' '}
                          — backup before it: <code>{backup}</code>
                        </span>
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        </div>
      )}
      {state && (
        <div className="form-row">
          <button
            type="button"
            className="button button-primary"
            disabled={readOnly || !work}
            aria-describedby={readOnly ? reasonId : undefined}
            onClick={() => setDialog('apply')}
          >
            {state.pending.length === 0 && missing > 0 ? 'Build missing indexes' : 'Apply pending migrations'}
          </button>
          <button
            type="button"
            className="button button-danger-quiet"
            disabled={readOnly || !newest}
            aria-describedby={readOnly ? reasonId : undefined}
            onClick={() => setDialog('rollback')}
          >
            Roll back newest migration
          </button>
        </div>
      )}
      {readOnly && (
        <p id={reasonId} className="field-hint">
          This connection is read-only: Simple DB does not change its schema. Edit the connection to allow changes.
        </p>
      )}

      {dialog === 'apply' && state && (
        <ApplyMigrationsDialog
          pending={state.pending}
          missingIndexes={state.missingIndexes ?? []}
          target={target}
          backupByDefault={info.database.kind !== 'embedded'}
          onCancel={() => setDialog('none')}
          onApplied={(notice) => {
            setDialog('none');
            toast(notice);
            void useAppInfoStore.getState().load();
          }}
        />
      )}
      {dialog === 'rollback' && newest && (
        <RollbackDialog
          migration={newest}
          database={info.database.name}
          target={target}
          backupBefore={state?.backupsBefore?.[newest]}
          effect={state?.rollbackEffects?.[newest]}
          onCancel={() => setDialog('none')}
          onRolledBack={(next) => {
            setDialog('none');
            setState(next);
            toast(`Rolled back ${newest}.`);
            void useAppInfoStore.getState().load();
          }}
        />
      )}
    </section>
  );
}
