import type { ReactNode } from 'react';

interface ErrorAlertProps {
  /** What failed; left out inside a dialog, whose own title already says what was being done. */
  title?: string;
  /** The server's own words (or the dialog's). */
  message: ReactNode;
  onRetry?: () => void;
  /** More ways out, beside Retry (buttons). */
  actions?: ReactNode;
}

/**
 * A failure the admin can act on: what failed, the message, and a way to try again. The one
 * place the alert markup lives, for screens and dialogs alike.
 */
export function ErrorAlert({ title, message, onRetry, actions }: ErrorAlertProps) {
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        <p className="alert-message">{message}</p>
      </div>
      {(onRetry || actions) && (
        <div className="alert-actions">
          {actions}
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Retry
            </button>
          )}
        </div>
      )}
    </div>
  );
}
