import type { Total } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import type { ExactCountView } from '../lib/exactCountStore';

/**
 * "1,204 users", or "about 1,200 products" with a way to count exactly: a job (cancellable from
 * the jobs indicator) whose answer replaces the estimate while the list shows the same rows.
 */
export function ListTotal(props: {
  total: Total | null;
  /** "12 products" / "about 1,200 products". */
  text: (total: Total) => string;
  view: ExactCountView;
  starting: boolean;
  startError: ApiError | null;
  onCount: () => void;
}) {
  const { total, view, starting, startError } = props;
  if (!total) return null;
  const counting = starting || view.kind === 'running';
  return (
    <div className="list-total">
      <span className="list-total-text">{props.text(total)}</span>
      {total.estimated && !counting && (
        <button type="button" className="button button-small" onClick={props.onCount}>
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
