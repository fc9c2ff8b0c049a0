import type { ApiError } from '../../shared/errors';
import { ErrorAlert } from '../ui/ErrorAlert';
import { useNavigationStore } from './navigation';

/**
 * Why the window has nothing to show. No token (or a wrong one) is not a database problem:
 * it says exactly what to open instead.
 */
export function ConnectionProblem({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  if (error.code === 'UNAUTHORIZED') {
    return (
      <ErrorAlert
        title="This page has no access to Simple DB"
        message={
          <>
            Open the address printed by <code>npm start</code> (it ends with ?token=…).
          </>
        }
      />
    );
  }
  if (error.field === 'connectionId') {
    // This window's connection was closed (here, in another window, or by a restart): say where to go.
    return (
      <ErrorAlert
        title="This window’s connection is not open"
        message={error.message}
        onRetry={onRetry}
        actions={
          <button type="button" className="button" onClick={() => useNavigationStore.getState().go('connections')}>
            Go to Connections
          </button>
        }
      />
    );
  }
  return <ErrorAlert title="Cannot reach the database" message={error.message} onRetry={onRetry} />;
}
