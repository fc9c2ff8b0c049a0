import { useState, type FormEvent } from 'react';
import type { ConnectionEntry, SecretName, SecretStorage } from '../../../shared/contract';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { entryAddress, SECRET_LABELS } from './connectionFormat';
import { KeepInMemoryCheck } from './SecretStorageNote';

interface PasswordPromptDialogProps {
  entry: ConnectionEntry;
  /** Which secret the server (or SSH) asked for. */
  secret: SecretName;
  storage: SecretStorage | null;
  /** Why it is asked for: the server's words. */
  reason: string;
  /**
   * Tries again with the password. Resolves with a message for the field when it was not accepted
   * (a wrong password), or null when the attempt went on (connected, or another question came).
   */
  onSubmit: (value: string, remember: boolean) => Promise<string | null>;
  onCancel: () => void;
}

/**
 * No password saved (and none in ~/.pgpass): ask for it. It is used for this session, or, when
 * "remember" is ticked, saved with the profile the way every saved password is.
 */
export function PasswordPromptDialog({ entry, secret, storage, reason, onSubmit, onCancel }: PasswordPromptDialogProps) {
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Only a saved profile can keep a password; the embedded database and DATABASE_URL cannot.
  const canRemember = entry.kind === 'profile' && entry.profile !== undefined;
  const memory = storage?.kind === 'memory';

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (value === '') {
      setError(`Type the ${SECRET_LABELS[secret].toLowerCase()}.`);
      return;
    }
    setBusy(true);
    setError(null);
    const problem = await onSubmit(value, remember);
    setBusy(false);
    if (problem) setError(problem);
  }

  const label = SECRET_LABELS[secret];
  return (
    <Modal title="Password needed" onDismiss={onCancel} busy={busy}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="modal-lead">
          <strong>{entry.name}</strong> <span className="muted">({entryAddress(entry)})</span>
        </p>
        <p className="muted">{reason}</p>
        <TextField
          name="prompt-password"
          label={label}
          type="password"
          value={value}
          error={error}
          readOnly={busy}
          autoComplete="current-password"
          onChange={(next) => {
            setValue(next);
            setError(null);
          }}
        />
        {canRemember && (
          <KeepInMemoryCheck
            name="prompt-remember"
            checked={remember}
            disabled={busy}
            onChange={setRemember}
            label={
              memory
                ? 'Remember it in memory until Simple DB quits (there is no OS secret store)'
                : `Remember it (encrypted with the OS secret store${storage ? `: ${storage.detail}` : ''})`
            }
          />
        )}
        {!canRemember && <p className="field-hint">It is used until Simple DB quits; this connection cannot save a password.</p>}
        <ModalActions busy={busy} onCancel={onCancel} action={{ label: 'Connect', tone: 'primary', submit: true }} />
        {busy && (
          <p role="status" className="form-progress">
            Connecting…
          </p>
        )}
      </form>
    </Modal>
  );
}
