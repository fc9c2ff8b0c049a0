import type { Total } from '../../../shared/contract';
import { useJobsStore } from '../../lib/jobsStore';
import { usersTotalText } from '../../lib/format/count';
import { exactCountView, useExactCountStore, type ExactCountView } from './exactCount';
import { listingKey, useUsersStore } from './usersStore';

/**
 * The total to show for the listing on screen, and the exact count's state: a finished count of
 * this very listing replaces the list's estimate; nothing ever says fewer users than are shown.
 */
export function useShownTotal(): { total: Total | null; view: ExactCountView } {
  const total = useUsersStore((s) => s.total);
  const key = useUsersStore((s) => listingKey(s.search, s.filters));
  const visible = useUsersStore((s) => (s.firstRow.row === null || s.firstRow.approximate ? s.rows.length : s.firstRow.row + s.rows.length - 1));
  const request = useExactCountStore((s) => s.request);
  const job = useJobsStore((s) => (request ? s.jobs[request.jobId] : undefined));
  const view = exactCountView(request, job, key);
  const shown = view.kind === 'counted' ? view.total : total;
  return { total: shown && shown.count < visible ? { ...shown, count: visible } : shown, view };
}

/**
 * "1,204 users", or "about 1,200 users" with a way to count exactly: a job (cancellable from
 * the jobs indicator) whose answer replaces the estimate while the list shows the same users.
 */
export function UsersTotal() {
  const { total, view } = useShownTotal();
  const search = useUsersStore((s) => s.search);
  const filters = useUsersStore((s) => s.filters);
  const starting = useExactCountStore((s) => s.starting);
  const startError = useExactCountStore((s) => s.startError);
  const start = useExactCountStore((s) => s.start);
  if (!total) return null;

  const counting = starting || view.kind === 'running';
  return (
    <div className="list-total">
      <span className="list-total-text">{usersTotalText(total)}</span>
      {total.estimated && !counting && (
        <button type="button" className="button button-small" onClick={() => void start(search, filters)}>
          Count exactly
        </button>
      )}
      {counting && (
        <span role="status" className="muted">
          Counting… (see Jobs)
        </span>
      )}
      {!counting && view.kind === 'failed' && <span className="muted">{view.message}</span>}
      {!counting && startError && (
        <span role="alert" className="error-text">
          Could not start counting: {startError.message}
        </span>
      )}
    </div>
  );
}
