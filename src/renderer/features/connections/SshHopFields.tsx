import type { SecretName, SshAuth } from '../../../shared/contract';
import { TextField } from '../../ui/TextField';
import { fieldName, type FieldErrors, type HopForm, type SecretField, type SecretsForm } from './profileForm';
import { SecretInput } from './SecretInput';

/** The words of each hop's fields: the bastion's, or the jump host's in front of it. */
const HOP_TEXT = {
  ssh: {
    host: 'SSH host',
    port: 'SSH port',
    user: 'SSH user',
    auth: 'SSH authentication',
    keyFile: 'Private key file',
    password: 'sshPassword',
    passphrase: 'sshPassphrase',
  },
  'ssh.jump': {
    host: 'Jump host',
    port: 'Jump host port',
    user: 'Jump host user',
    auth: 'Jump host authentication',
    keyFile: 'Jump host private key file',
    password: 'jumpPassword',
    passphrase: 'jumpPassphrase',
  },
} as const satisfies Record<string, { password: SecretName; passphrase: SecretName } & Record<string, string>>;

const AUTH_CHOICES: { value: SshAuth; label: string }[] = [
  { value: 'agent', label: 'Use the SSH agent' },
  { value: 'key', label: 'Use a key file' },
  { value: 'password', label: 'Use a password' },
];

interface SshHopFieldsProps {
  prefix: keyof typeof HOP_TEXT;
  hop: HopForm;
  errors: FieldErrors;
  secrets: SecretsForm;
  savedSecrets: readonly SecretName[];
  readOnly: boolean;
  onChange: (patch: Partial<HopForm>, changedKeys: string[]) => void;
  onSecret: (name: SecretName, field: SecretField) => void;
}

/** Host, port, user and login of one SSH hop: a password, a key file (and its passphrase), or the SSH agent. */
export function SshHopFields({ prefix, hop, errors, secrets, savedSecrets, readOnly, onChange, onSecret }: SshHopFieldsProps) {
  const text = HOP_TEXT[prefix];
  const key = (field: string) => `${prefix}.${field}`;
  const authName = fieldName(key('auth'));
  return (
    <>
      <div className="form-grid">
        <TextField
          name={fieldName(key('host'))}
          label={text.host}
          className="field-wide"
          value={hop.host}
          error={errors[key('host')] ?? null}
          readOnly={readOnly}
          onChange={(host) => onChange({ host }, [key('host')])}
        />
        <TextField
          name={fieldName(key('port'))}
          label={text.port}
          className="field-port"
          inputMode="numeric"
          value={hop.port}
          error={errors[key('port')] ?? null}
          readOnly={readOnly}
          onChange={(port) => onChange({ port }, [key('port')])}
        />
        <TextField
          name={fieldName(key('user'))}
          label={text.user}
          value={hop.user}
          error={errors[key('user')] ?? null}
          readOnly={readOnly}
          onChange={(user) => onChange({ user }, [key('user')])}
        />
      </div>
      <fieldset className="fieldset" aria-describedby={errors[key('auth')] ? `${authName}-error` : undefined}>
        <legend className="field-label">{text.auth}</legend>
        <div className="checks">
          {AUTH_CHOICES.map((choice) => (
            <label key={choice.value} className="check">
              <input
                type="radio"
                name={authName}
                value={choice.value}
                checked={hop.auth === choice.value}
                disabled={readOnly}
                onChange={() => onChange({ auth: choice.value }, [key('auth')])}
              />
              {choice.label}
            </label>
          ))}
        </div>
        {errors[key('auth')] && (
          <p id={`${authName}-error`} className="field-error">
            {errors[key('auth')]}
          </p>
        )}
      </fieldset>
      {hop.auth === 'password' && (
        <SecretInput
          secret={text.password}
          field={secrets[text.password]}
          saved={savedSecrets.includes(text.password)}
          error={errors[`secrets.${text.password}`] ?? null}
          readOnly={readOnly}
          onChange={(field) => onSecret(text.password, field)}
        />
      )}
      {hop.auth === 'key' && (
        <div className="form-grid">
          <TextField
            name={fieldName(key('privateKeyFile'))}
            label={text.keyFile}
            className="field-wide"
            placeholder="/home/me/.ssh/id_ed25519"
            value={hop.privateKeyFile}
            error={errors[key('privateKeyFile')] ?? null}
            readOnly={readOnly}
            onChange={(privateKeyFile) => onChange({ privateKeyFile }, [key('privateKeyFile')])}
          />
          <SecretInput
            secret={text.passphrase}
            field={secrets[text.passphrase]}
            saved={savedSecrets.includes(text.passphrase)}
            error={errors[`secrets.${text.passphrase}`] ?? null}
            readOnly={readOnly}
            onChange={(field) => onSecret(text.passphrase, field)}
          />
        </div>
      )}
      {hop.auth === 'agent' && <p className="field-hint">The running ssh-agent (SSH_AUTH_SOCK) signs the login; no key or password is stored.</p>}
    </>
  );
}
