import type { SecretName } from '../../../shared/contract';
import { TextField } from '../../ui/TextField';
import { SECRET_LABELS } from './connectionFormat';
import { fieldName, type SecretField } from './profileForm';

interface SecretInputProps {
  secret: SecretName;
  /** Defaults to the secret's own name ("SSH password"). */
  label?: string;
  field: SecretField;
  /** A value is saved for this profile (never shown: only that there is one). */
  saved: boolean;
  /** The database password comes from ~/.pgpass. */
  pgpass?: boolean;
  error: string | null;
  readOnly: boolean;
  onChange: (field: SecretField) => void;
}

/** What the field says about the saved value: kept when left blank, forgotten on request, or from ~/.pgpass. */
function hintText(field: SecretField, saved: boolean, pgpass: boolean, what: string): string {
  if (field.forget) return `The saved ${what} will be forgotten when you save.`;
  if (saved) return `A ${what} is saved. Leave this blank to keep it; type a new one to replace it.`;
  if (pgpass) return `From ~/.pgpass. Leave this blank to keep using it.`;
  return `Optional: left blank, it is asked for when connecting.`;
}

/** A password (or passphrase) field that never shows the saved value, says whether there is one, and can forget it. */
export function SecretInput({ secret, label, field, saved, pgpass = false, error, readOnly, onChange }: SecretInputProps) {
  const shown = label ?? SECRET_LABELS[secret];
  const what = shown.toLowerCase();
  return (
    <div className="secret-field">
      <TextField
        name={fieldName(`secrets.${secret}`)}
        label={shown}
        type="password"
        autoComplete="new-password"
        value={field.value}
        error={error}
        readOnly={readOnly}
        hint={hintText(field, saved, pgpass, what)}
        onChange={(value) => onChange({ ...field, value })}
      />
      {saved && (
        <button
          type="button"
          className="button button-small button-quiet secret-forget"
          aria-disabled={readOnly || undefined}
          onClick={() => {
            if (!readOnly) onChange({ value: '', forget: !field.forget });
          }}
        >
          {field.forget ? `Keep saved ${what}` : `Forget saved ${what}`}
        </button>
      )}
    </div>
  );
}
