import { useRef, useState } from 'react';
import type { BackupEntry } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { kindText, localTimeText } from './backupFormat';

interface DeleteBackupDialogProps {
  entry: BackupEntry;
  onDeleted: (name: string) => void;
  onCancel: () => void;
  /** The file was already gone: the list behind the dialog is stale. */
  onStale: () => void;
}

/** Asks before deleting a backup file (and its manifest), naming it. */
export function DeleteBackupDialog({ entry, onDeleted, onCancel, onStale }: DeleteBackupDialogProps) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function confirm(): Promise<void> {
    if (deleting) return;
    setDeleting(true);
    setError(null);
    try {
      const { deleted } = await api.backups.delete({ name: entry.name });
      onDeleted(deleted);
    } catch (caught) {
      setDeleting(false);
      const apiError = toApiError(caught);
      setError(apiError.message);
      if (apiError.code === 'NOT_FOUND') onStale();
    }
  }

  return (
    // Focus starts on Cancel: a stray Enter must not delete a backup.
    <Modal title="Delete backup" onDismiss={onCancel} busy={deleting} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          Delete <strong>{entry.name}</strong>
          {entry.manifest ? ' and its manifest' : ''}? This cannot be undone.
        </p>
        <p className="muted">
          {kindText(entry)} backup{entry.manifest ? ` of ${entry.manifest.database}` : ''}, made {localTimeText(entry.createdAt)}.
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
