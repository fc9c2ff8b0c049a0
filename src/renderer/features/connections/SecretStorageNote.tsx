import type { SecretStorage } from '../../../shared/contract';

/** Where saved passwords go, said plainly: encrypted by the OS, or only in memory until Simple DB quits. */
export function SecretStorageNote({ storage }: { storage: SecretStorage | null }) {
  if (!storage) return null;
  if (storage.kind === 'os') {
    return <p className="field-hint secret-storage">Saved passwords are encrypted with the OS secret store ({storage.detail}).</p>;
  }
  return (
    <p className="warning-text secret-storage">
      Passwords are kept only in memory until Simple DB quits, and only if you agree: there is no OS secret store here ({storage.detail}).
    </p>
  );
}

/** A checkbox to keep a password: with in-memory storage, the agreement it needs first. */
export function KeepInMemoryCheck({
  name = 'conn-keepSecretsInMemory',
  checked,
  onChange,
  error,
  disabled,
  label = 'Keep passwords in memory until Simple DB quits',
}: {
  /** Base for ids: `<name>-input`, `<name>-error`. */
  name?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | null;
  disabled?: boolean;
  label?: string;
}) {
  return (
    <div className="field">
      <label className="check">
        <input
          id={`${name}-input`}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${name}-error` : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      {error && (
        <p id={`${name}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
