import type { ConnectionEntry, SecretsInput } from '../../../shared/contract';
import { api } from '../../lib/api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

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
  return (
    <ConfirmDialog
      title={`Create database ${database}?`}
      action={{ label: 'Create database', tone: 'primary' }}
      busyText="Creating the database…"
      onCancel={onCancel}
      run={async () => onCreated(await api.connections.createDatabase({ id, secrets }))}
    >
      <p>
        There is no database <strong>{database}</strong> on <strong>{server}</strong>. Create it, owned by this connection’s user?
      </p>
    </ConfirmDialog>
  );
}
