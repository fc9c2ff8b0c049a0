import { restoreResultSchema, type Job } from '../../../shared/contract';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatNumber } from './backupFormat';
import type { RestoreMode } from './restoreRules';

function countText(rows: number | null): string {
  return rows === null ? 'unknown' : formatNumber(rows);
}

/** Whether a safety backup was taken, and if not, why that is (or is not) a worry. */
function safetyText(safetyBackup: string | null, mode: RestoreMode): string {
  if (safetyBackup) return `Safety backup taken first: ${safetyBackup}`;
  return mode === 'new' ? 'Nothing was replaced, so no safety backup was needed.' : 'No safety backup was taken.';
}

/** How a restore ended: the row counts beside the backup's and the safety backup, or what failed. */
export function RestoreOutcome({ job, name, mode }: { job: Job; name: string; mode: RestoreMode }) {
  if (job.state === 'failed') return <ErrorAlert title="The restore failed" message={job.error?.message ?? 'No reason given.'} />;
  if (job.state === 'cancelled') {
    return (
      <p role="status" className="muted">
        Restore cancelled. It runs in one transaction, which was rolled back: nothing it did was kept.
      </p>
    );
  }
  const parsed = restoreResultSchema.safeParse(job.result);
  if (!parsed.success) {
    return (
      <p role="status" className="muted">
        {job.summary ?? `Restored ${name}.`}
      </p>
    );
  }
  const result = parsed.data;
  return (
    <div className="restore-outcome">
      <p role="status" className="restore-done">
        Restored {name} into {result.database}.
      </p>
      <p>{safetyText(result.safetyBackup, mode)}</p>
      {result.matches === true && <p className="verified">Row counts match the backup.</p>}
      {result.matches === false && <p className="warning-text">Row counts differ from the backup: see the tables marked below.</p>}
      {result.matches === null && <p className="muted">The backup recorded no row counts to compare with.</p>}
      {result.rowCounts.length > 0 && (
        <div className="table-scroll">
          <table className="compact-table" aria-label="Row counts after the restore">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="numeric">
                  In backup
                </th>
                <th scope="col" className="numeric">
                  Now
                </th>
                <th scope="col">Match</th>
              </tr>
            </thead>
            <tbody>
              {result.rowCounts.map((row) => {
                const same = row.expected === null || row.actual === null ? null : row.expected === row.actual;
                return (
                  <tr key={row.table}>
                    <td>{row.table}</td>
                    <td className="numeric">{countText(row.expected)}</td>
                    <td className="numeric">{countText(row.actual)}</td>
                    <td className={same === false ? 'error-text' : undefined}>{same === null ? '—' : same ? 'Yes' : 'No'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
