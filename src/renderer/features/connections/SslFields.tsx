import { SSL_MODES, sslModeSchema, type SslMode } from '../../../shared/contract';
import { TextField } from '../../ui/TextField';
import { SSL_MODE_LABELS, usesRootCert } from './connectionFormat';
import { fieldName, showsClientCert, type FieldErrors, type ProfileForm } from './profileForm';

interface SslFieldsProps {
  form: ProfileForm;
  errors: FieldErrors;
  readOnly: boolean;
  onChange: (patch: Partial<ProfileForm>, changedKeys: string[]) => void;
}

/** libpq's sslmode, and the certificate files the chosen mode uses (a CA for verify-*, a client certificate when encrypting). */
export function SslFields({ form, errors, readOnly, onChange }: SslFieldsProps) {
  const modeName = fieldName('ssl.mode');
  const modeError = errors['ssl.mode'];
  return (
    <fieldset className="fieldset form-section">
      <legend className="section-legend">SSL</legend>
      <div className="field">
        <label htmlFor={`${modeName}-input`} className="field-label">
          SSL mode
        </label>
        <select
          id={`${modeName}-input`}
          className="select"
          value={form.sslMode}
          disabled={readOnly}
          aria-invalid={modeError ? true : undefined}
          aria-describedby={modeError ? `${modeName}-error` : undefined}
          onChange={(event) => {
            const mode = sslModeSchema.safeParse(event.target.value);
            if (mode.success) onChange({ sslMode: mode.data }, ['ssl.mode']);
          }}
        >
          {SSL_MODES.map((mode: SslMode) => (
            <option key={mode} value={mode}>
              {SSL_MODE_LABELS[mode]}
            </option>
          ))}
        </select>
        {modeError && (
          <p id={`${modeName}-error`} className="field-error">
            {modeError}
          </p>
        )}
      </div>
      {usesRootCert(form.sslMode) && (
        <TextField
          name={fieldName('ssl.rootCert')}
          label="CA certificate file"
          placeholder="/etc/ssl/certs/company-ca.pem"
          hint={
            form.sslMode === 'require'
              ? 'Optional: with a CA file, require also checks the server’s certificate is signed by it, as verify-ca does (sslrootcert).'
              : 'The certificate authority the server’s certificate must be signed by (sslrootcert). Blank: ~/.postgresql/root.crt.'
          }
          value={form.rootCert}
          error={errors['ssl.rootCert'] ?? null}
          readOnly={readOnly}
          onChange={(rootCert) => onChange({ rootCert }, ['ssl.rootCert'])}
        />
      )}
      {showsClientCert(form) && (
        <div className="form-grid">
          <TextField
            name={fieldName('ssl.cert')}
            label="Client certificate file"
            hint="Only if the server asks for one (sslcert)."
            value={form.cert}
            error={errors['ssl.cert'] ?? null}
            readOnly={readOnly}
            onChange={(cert) => onChange({ cert }, ['ssl.cert'])}
          />
          <TextField
            name={fieldName('ssl.key')}
            label="Client key file"
            hint="The client certificate’s private key (sslkey)."
            value={form.key}
            error={errors['ssl.key'] ?? null}
            readOnly={readOnly}
            onChange={(key) => onChange({ key }, ['ssl.key'])}
          />
        </div>
      )}
    </fieldset>
  );
}
