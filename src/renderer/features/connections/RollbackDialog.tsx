import { useRef, useState, type FormEvent } from 'react';
import type { MigrationState } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';

interface RollbackDialogProps {
  /** The newest applied migration: the one reverted. */
  migration: string;
  /** The database name the admin types to confirm. */
  database: string;
  /** `host:port/db`, so the admin sees which server is about to change. */
  target: string;
  /** The backup taken just before it was applied, if Simple DB took one. */
  backupBefore?: string;
  /** What rolling it back does, as the migration says; else the warning that what it added is dropped with its data. */
  effect?: string;
  onRolledBack: (state: MigrationState) => void;
  onCancel: () => void;
}

/** Reverting a migration changes the schema (and may drop data): it takes typing the database's name. */
export function RollbackDialog({ migration, database, target, backupBefore, effect, onRolledBack, onCancel }: RollbackDialogProps) {
  const [typed, setTyped] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const matches = typed === database;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (!matches) {
      setFieldError(`Type ${database} exactly to roll back.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onRolledBack(await api.migrations.down({ confirm: typed }));
    } catch (caught) {
      setBusy(false);
      const apiError = toApiError(caught);
      if (apiError.field === 'confirm') setFieldError(apiError.message);
      else setError(apiError.message);
    }
  }

  return (
    <Modal title="Roll back migration" onDismiss={onCancel} busy={busy}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p>
          Revert the newest migration, <code>{migration}</code>, on <strong>{target}</strong>?
        </p>
        <p className="warning-text">
          {effect ?? 'Its schema changes are undone: tables or columns it added are dropped, with their data.'}{' '}
          {backupBefore ? (
            <>
              The backup taken before it was applied is <code>{backupBefore}</code>.
            </>
          ) : (
            'Simple DB took no backup before it was applied: take one on the Backups screen first.'
          )}
        </p>
        <TextField
          name="rollback-confirm"
          label="Database name to confirm"
          hint={
            <>
              Type <code>{database}</code> to roll back.
            </>
          }
          value={typed}
          error={fieldError}
          readOnly={busy}
          onChange={(value) => {
            setTyped(value);
            setFieldError(null);
          }}
        />
        {error && <ErrorAlert message={error} />}
        {busy && (
          <p role="status" className="form-progress">
            Rolling back…
          </p>
        )}
        <ModalActions
          busy={busy}
          onCancel={onCancel}
          cancelRef={cancelRef}
          action={{ label: 'Roll back', tone: 'danger', unavailable: !matches, submit: true }}
        />
      </form>
    </Modal>
  );
}
