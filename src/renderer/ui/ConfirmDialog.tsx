import { useRef, useState, type ReactNode } from 'react';
import type { ApiError } from '../../shared/errors';
import { toApiError } from '../lib/toApiError';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';
import { ModalActions } from './ModalActions';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, and to what (database text is passed as text). */
  children: ReactNode;
  action: { label: string; tone: 'primary' | 'danger' };
  /** Said while the work runs ("Deleting…"). */
  busyText: string;
  /** The work; a failure is shown in the dialog unless `onFailed` says it was dealt with. */
  run: () => Promise<void>;
  /** Sees a failure first; returns true when nothing more is to be said (say, already gone). */
  onFailed?: (error: ApiError) => boolean;
  onCancel: () => void;
}

/**
 * Asks before one action that cannot be taken back (delete, create), runs it, and keeps the dialog
 * open with the reason when it fails. Focus starts on Cancel: a stray Enter must not act.
 */
export function ConfirmDialog({ title, children, action, busyText, run, onFailed, onCancel }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function confirm(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (caught) {
      setBusy(false);
      const apiError = toApiError(caught);
      if (!onFailed?.(apiError)) setError(apiError.message);
    }
  }

  return (
    <Modal title={title} onDismiss={onCancel} busy={busy} initialFocusRef={cancelRef}>
      <div className="modal-body">
        {children}
        {busy && (
          <p role="status" className="muted">
            {busyText}
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions busy={busy} onCancel={onCancel} cancelRef={cancelRef} action={{ ...action, onClick: () => void confirm() }} />
    </Modal>
  );
}
