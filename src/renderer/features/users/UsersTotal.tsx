import { useJobsStore } from '../../lib/jobsStore';
import { usersTotalText } from '../../lib/format/count';
import { exactCountView, useExactCountStore } from './exactCount';
import { useUsersStore } from './usersStore';

/**
 * "1,204 users", or "about 1,200 users" with a way to count exactly: a job (cancellable from
 * the jobs indicator) whose answer replaces the estimate while the search is still the same.
 */
export function UsersTotal() {
  const total = useUsersStore((s) => s.total);
  const search = useUsersStore((s) => s.search);
  const request = useExactCountStore((s) => s.request);
  const starting = useExactCountStore((s) => s.starting);
  const startError = useExactCountStore((s) => s.startError);
  const start = useExactCountStore((s) => s.start);
  const job = useJobsStore((s) => (request ? s.jobs[request.jobId] : undefined));
  if (!total) return null;

  const view = exactCountView(request, job, search);
  const shown = view.kind === 'counted' ? view.total : total;
  const counting = starting || view.kind === 'running';
  return (
    <div className="list-total">
      <span className="list-total-text">{usersTotalText(shown)}</span>
      {shown.estimated && !counting && (
        <button type="button" className="button button-small" onClick={() => void start(search)}>
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
