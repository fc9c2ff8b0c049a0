import { useRef, useState } from 'react';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { countOf } from '../../lib/format/count';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';

interface ApplyMigrationsDialogProps {
  pending: readonly string[];
  /** `host:port/db`, so the admin sees which server is about to change. */
  target: string;
  onApplied: (appliedCount: number) => void;
  onCancel: () => void;
}

/** The confirm step before changing a schema: it names the target and says to back up first. */
export function ApplyMigrationsDialog({ pending, target, onApplied, onCancel }: ApplyMigrationsDialogProps) {
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function apply(): Promise<void> {
    if (applying) return;
    setApplying(true);
    setError(null);
    try {
      await api.migrations.up();
      onApplied(pending.length);
    } catch (caught) {
      setApplying(false);
      setError(toApiError(caught).message);
    }
  }

  return (
    <Modal title="Apply migrations" onDismiss={onCancel} busy={applying} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          Apply {countOf(pending.length, 'pending migration')} to <strong>{target}</strong>? Back up first if this is production data.
        </p>
        {applying && (
          <p role="status" className="muted">
            Applying migrations…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={applying}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Apply', tone: 'primary', onClick: () => void apply() }}
      />
    </Modal>
  );
}
