import type { BackupEntry } from '../../../shared/contract';
import { api } from '../../lib/api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
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
  return (
    <ConfirmDialog
      title="Delete backup"
      action={{ label: 'Delete', tone: 'danger' }}
      busyText="Deleting…"
      onCancel={onCancel}
      run={async () => {
        const { deleted } = await api.backups.delete({ name: entry.name });
        onDeleted(deleted);
      }}
      onFailed={(error) => {
        // Said in the dialog, and the list behind it is read again.
        if (error.code === 'NOT_FOUND') onStale();
        return false;
      }}
    >
      <p>
        Delete <strong>{entry.name}</strong>
        {entry.manifest ? ' and its manifest' : ''}? This cannot be undone.
      </p>
      <p className="muted">
        {kindText(entry)} backup{entry.manifest ? ` of ${entry.manifest.database}` : ''}, made {localTimeText(entry.createdAt)}.
      </p>
    </ConfirmDialog>
  );
}
