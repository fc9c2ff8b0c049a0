import { useRef, useState, type FormEvent } from 'react';
import type { User, UserUpdateInput } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { placeServerError, validateUserForm, type FieldErrors } from './userFormRules';

interface UserFormDialogProps {
  /** The user being edited, or null to create one. */
  user: User | null;
  onSaved: (user: User, created: boolean) => void;
  onCancel: () => void;
  /** The user being edited was deleted meanwhile: the list behind the dialog is stale. */
  onStale?: () => void;
}

/** Create or edit a user; Enter saves, Escape cancels. */
export function UserFormDialog({ user, onSaved, onCancel, onStale }: UserFormDialogProps) {
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  function focusField(field: 'email' | 'name'): void {
    (field === 'email' ? emailRef : nameRef).current?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving) return;
    setFormError(null);
    const checked = validateUserForm(email, name, user ?? undefined);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusField(checked.errors.email ? 'email' : 'name');
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      if (user) {
        // Send only what the admin changed, so an untouched legacy value (say, a mixed-case
        // email from before the app) is not rewritten as a side effect.
        const changes: UserUpdateInput = { id: user.id };
        if (email !== user.email && checked.email !== user.email) changes.email = checked.email;
        if (name !== user.name && checked.name !== user.name) changes.name = checked.name;
        if (changes.email === undefined && changes.name === undefined) {
          onCancel();
          return;
        }
        onSaved(await api.users.update(changes), false);
      } else {
        onSaved(await api.users.create({ email: checked.email, name: checked.name }), true);
      }
    } catch (error) {
      setSaving(false);
      const apiError = toApiError(error);
      if (apiError.code === 'NOT_FOUND') onStale?.();
      const placed = placeServerError(apiError);
      if (placed) {
        setErrors({ [placed.field]: placed.message });
        focusField(placed.field);
      } else {
        setFormError(apiError.message);
      }
    }
  }

  return (
    <Modal title={user ? 'Edit user' : 'New user'} onDismiss={onCancel} busy={saving}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        {formError && <ErrorAlert message={formError} />}
        <TextField
          name="email"
          label="Email"
          value={email}
          error={errors.email ?? null}
          inputRef={emailRef}
          inputMode="email"
          readOnly={saving}
          onChange={(value) => {
            setEmail(value);
            setErrors((current) => ({ ...current, email: undefined }));
          }}
        />
        <TextField
          name="name"
          label="Name"
          value={name}
          error={errors.name ?? null}
          inputRef={nameRef}
          readOnly={saving}
          onChange={(value) => {
            setName(value);
            setErrors((current) => ({ ...current, name: undefined }));
          }}
        />
        <ModalActions busy={saving} onCancel={onCancel} action={{ label: 'Save', tone: 'primary', submit: true }} />
        {saving && (
          <p role="status" className="form-progress">
            Saving…
          </p>
        )}
      </form>
    </Modal>
  );
}
