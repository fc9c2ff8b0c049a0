import { useRef, useState } from 'react';
import type { ConnectionEntry } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { entryAddress } from './connectionFormat';

interface DeleteConnectionDialogProps {
  entry: ConnectionEntry;
  onDeleted: (id: string) => void;
  onCancel: () => void;
}

/** Asks before deleting a saved connection; says plainly that the database itself is not touched. */
export function DeleteConnectionDialog({ entry, onDeleted, onCancel }: DeleteConnectionDialogProps) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function confirm(): Promise<void> {
    if (deleting) return;
    setDeleting(true);
    setError(null);
    try {
      // The answer names what was deleted for people; the list goes by id.
      await api.connections.delete({ id: entry.id });
      onDeleted(entry.id);
    } catch (caught) {
      setDeleting(false);
      const apiError = toApiError(caught);
      // Already gone (another window): the list behind is stale, and there is nothing left to delete.
      if (apiError.code === 'NOT_FOUND') onDeleted(entry.id);
      else setError(apiError.message);
    }
  }

  return (
    // Focus starts on Cancel: a stray Enter must not delete.
    <Modal title="Delete connection" onDismiss={onCancel} busy={deleting} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          Delete the saved connection <strong>{entry.name}</strong> <span className="muted">({entryAddress(entry)})</span>?
        </p>
        <p className="muted">
          {entry.state === 'closed' ? '' : 'It is disconnected first. '}Its saved passwords are forgotten too. The database itself is not touched.
        </p>
        {deleting && (
          <p role="status" className="muted">
            Deleting…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={deleting}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Delete', tone: 'danger', onClick: () => void confirm() }}
      />
    </Modal>
  );
}
