import type { ConnectionEntry } from '../../../shared/contract';
import { api } from '../../lib/api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { entryAddress } from './connectionFormat';

interface DeleteConnectionDialogProps {
  entry: ConnectionEntry;
  onDeleted: (id: string) => void;
  onCancel: () => void;
}

/** Asks before deleting a saved connection; says plainly that the database itself is not touched. */
export function DeleteConnectionDialog({ entry, onDeleted, onCancel }: DeleteConnectionDialogProps) {
  return (
    <ConfirmDialog
      title="Delete connection"
      action={{ label: 'Delete', tone: 'danger' }}
      busyText="Deleting…"
      onCancel={onCancel}
      run={async () => {
        // The answer names what was deleted for people; the list goes by id.
        await api.connections.delete({ id: entry.id });
        onDeleted(entry.id);
      }}
      onFailed={(error) => {
        // Already gone (another window): the list behind is stale, and there is nothing left to delete.
        if (error.code !== 'NOT_FOUND') return false;
        onDeleted(entry.id);
        return true;
      }}
    >
      <p>
        Delete the saved connection <strong>{entry.name}</strong> <span className="muted">({entryAddress(entry)})</span>?
      </p>
      <p className="muted">
        {entry.state === 'closed' ? '' : 'It is disconnected first. '}Its saved passwords are forgotten too. The database itself is not touched.
      </p>
    </ConfirmDialog>
  );
}
