import type { ApiError } from '../../shared/errors';

interface ErrorAlertProps {
  title: string;
  error: ApiError;
  onRetry?: () => void;
}

/** A failure the admin can act on: what failed, the server's own words, and a way to try again. */
export function ErrorAlert({ title, error, onRetry }: ErrorAlertProps) {
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-body">
        <p className="alert-title">{title}</p>
        <p className="alert-message">{error.message}</p>
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
