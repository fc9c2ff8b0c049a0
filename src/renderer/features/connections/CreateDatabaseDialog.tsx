import { useRef, useState } from 'react';
import type { ConnectionEntry, SecretsInput } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';

interface CreateDatabaseDialogProps {
  /** The saved connection whose database does not exist. */
  id: string;
  database: string;
  /** `host:port`, the server it would be created on. */
  server: string;
  /** Typed for this attempt (none saved), sent along. */
  secrets: SecretsInput;
  onCreated: (entry: ConnectionEntry) => void;
  onCancel: () => void;
}

/** The server says the database does not exist: offer to create it (as the profile's user), never silently. */
export function CreateDatabaseDialog({ id, database, server, secrets, onCreated, onCancel }: CreateDatabaseDialogProps) {
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function create(): Promise<void> {
    if (creating) return;
    setCreating(true);
    setError(null);
    try {
      onCreated(await api.connections.createDatabase({ id, secrets }));
    } catch (caught) {
      setCreating(false);
      setError(toApiError(caught).message);
    }
  }

  return (
    <Modal title={`Create database ${database}?`} onDismiss={onCancel} busy={creating} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          There is no database <strong>{database}</strong> on <strong>{server}</strong>. Create it, owned by this connection’s user?
        </p>
        {creating && (
          <p role="status" className="muted">
            Creating the database…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={creating}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Create database', tone: 'primary', onClick: () => void create() }}
      />
    </Modal>
  );
}
