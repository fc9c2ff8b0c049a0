import {
  profileDraftSchema,
  SECRET_NAMES,
  type ConnectionColor,
  type ConnectionEntry,
  type ProfileDraft,
  type SecretName,
  type SecretsInput,
  type SshAuth,
  type SslMode,
} from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { usesClientCert, usesRootCert } from './connectionFormat';

/** One SSH hop as typed: the port stays text until checked. */
export interface HopForm {
  host: string;
  port: string;
  user: string;
  auth: SshAuth;
  privateKeyFile: string;
}

/** The profile form as typed. Hidden parts (SSH off, a mode without a CA file) keep their text but are not sent. */
export interface ProfileForm {
  id?: string;
  name: string;
  host: string;
  port: string;
  database: string;
  user: string;
  sslMode: SslMode;
  rootCert: string;
  cert: string;
  key: string;
  sshEnabled: boolean;
  ssh: HopForm;
  jumpEnabled: boolean;
  jump: HopForm;
  color: ConnectionColor;
  readOnly: boolean;
}

/** A secret field: what was typed (blank keeps the saved one), and whether the saved one is to be forgotten. */
export interface SecretField {
  value: string;
  forget: boolean;
}
export type SecretsForm = Record<SecretName, SecretField>;

/** Field keys, as the server names them without the `profile.` prefix: `host`, `ssh.jump.host`, `secrets.password`. */
export type FieldErrors = Partial<Record<string, string>>;

const EMPTY_HOP: HopForm = { host: '', port: '22', user: '', auth: 'agent', privateKeyFile: '' };

function hopForm(hop: ProfileDraft['ssh'] | undefined): HopForm {
  if (!hop) return { ...EMPTY_HOP };
  return { host: hop.host, port: String(hop.port), user: hop.user, auth: hop.auth, privateKeyFile: hop.privateKeyFile ?? '' };
}

/** The form for a profile (or a blank one for a new connection). */
export function formFromProfile(profile: ProfileDraft | null | undefined): ProfileForm {
  return {
    id: profile?.id,
    name: profile?.name ?? '',
    host: profile?.host ?? 'localhost',
    port: String(profile?.port ?? 5432),
    database: profile?.database ?? '',
    user: profile?.user ?? '',
    sslMode: profile?.ssl.mode ?? 'prefer',
    rootCert: profile?.ssl.rootCert ?? '',
    cert: profile?.ssl.cert ?? '',
    key: profile?.ssl.key ?? '',
    sshEnabled: profile?.ssh !== undefined,
    ssh: hopForm(profile?.ssh),
    jumpEnabled: profile?.ssh?.jump !== undefined,
    jump: hopForm(profile?.ssh?.jump),
    color: profile?.color ?? 'none',
    readOnly: profile?.readOnly ?? false,
  };
}

/** A connection that is not a saved profile (embedded, DATABASE_URL) as the start of a new profile. */
export function profileFromEntry(entry: ConnectionEntry): ProfileDraft {
  return {
    name: entry.name,
    host: entry.host,
    port: entry.port,
    database: entry.database,
    user: entry.user,
    ssl: { mode: entry.sslMode ?? 'prefer' },
    color: entry.color,
    readOnly: entry.readOnly,
  };
}

export function emptySecrets(prefill: SecretsInput = {}): SecretsForm {
  const secrets = {} as SecretsForm;
  for (const name of SECRET_NAMES) secrets[name] = { value: prefill[name] ?? '', forget: false };
  return secrets;
}

/** The client certificate fields: for modes that always encrypt, or whenever a file is already named. */
export function showsClientCert(form: ProfileForm): boolean {
  return form.sslMode !== 'disable' && (usesClientCert(form.sslMode) || form.cert.trim() !== '' || form.key.trim() !== '');
}

const optional = (text: string) => (text.trim() === '' ? undefined : text);

function hopDraft(hop: HopForm) {
  return {
    host: hop.host,
    port: hop.port,
    user: hop.user,
    auth: hop.auth,
    privateKeyFile: hop.auth === 'key' ? optional(hop.privateKeyFile) : undefined,
  };
}

/** What is sent for the form: only what is shown (a hidden CA file or a switched-off tunnel is left out). */
function rawDraft(form: ProfileForm): unknown {
  return {
    id: form.id,
    name: form.name,
    host: form.host,
    port: form.port,
    database: form.database,
    user: form.user,
    ssl: {
      mode: form.sslMode,
      rootCert: usesRootCert(form.sslMode) ? optional(form.rootCert) : undefined,
      cert: showsClientCert(form) ? optional(form.cert) : undefined,
      key: showsClientCert(form) ? optional(form.key) : undefined,
    },
    ssh: form.sshEnabled ? { ...hopDraft(form.ssh), jump: form.jumpEnabled ? hopDraft(form.jump) : undefined } : undefined,
    color: form.color,
    readOnly: form.readOnly,
  };
}

/**
 * Checks the form with the contract's own schema (so the window says what the server would say,
 * at the same field), plus what the schema leaves to the server: a key file for key logins.
 */
export function checkProfileForm(form: ProfileForm): { ok: true; profile: ProfileDraft } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = profileDraftSchema.safeParse(rawDraft(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.');
      errors[key] ??= issue.message;
    }
  }
  if (form.sshEnabled && form.ssh.auth === 'key' && form.ssh.privateKeyFile.trim() === '') {
    errors['ssh.privateKeyFile'] ??= 'Type the path of the private key file.';
  }
  if (form.sshEnabled && form.jumpEnabled && form.jump.auth === 'key' && form.jump.privateKeyFile.trim() === '') {
    errors['ssh.jump.privateKeyFile'] ??= 'Type the path of the jump host’s private key file.';
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, profile: parsed.data };
  return { ok: false, errors };
}

/** The secrets this form's settings use: the database password, and the SSH ones for the chosen logins. */
export function secretsInUse(form: ProfileForm): SecretName[] {
  const names: SecretName[] = ['password'];
  if (form.sshEnabled) {
    if (form.ssh.auth === 'password') names.push('sshPassword');
    if (form.ssh.auth === 'key') names.push('sshPassphrase');
    if (form.jumpEnabled) {
      if (form.jump.auth === 'password') names.push('jumpPassword');
      if (form.jump.auth === 'key') names.push('jumpPassphrase');
    }
  }
  return names;
}

/**
 * What to send: a typed secret sets it, a forgotten one is `null`, a blank one is left out (the
 * saved one stays). For a test, nothing is forgotten: blank falls back to the saved one or ~/.pgpass.
 */
export function secretsInput(form: ProfileForm, secrets: SecretsForm, purpose: 'save' | 'test'): SecretsInput {
  const input: SecretsInput = {};
  for (const name of secretsInUse(form)) {
    const field = secrets[name];
    if (field.value !== '') input[name] = field.value;
    else if (field.forget && purpose === 'save') input[name] = null;
  }
  return input;
}

/** Whether saving writes a secret (so, with in-memory storage, the admin's agreement is needed). */
export function writesSecrets(input: SecretsInput): boolean {
  return Object.values(input).some((value) => typeof value === 'string');
}

/** Every field key the form shows, top to bottom: the first one with an error gets focus. */
export const FIELD_ORDER = [
  'name',
  'host',
  'port',
  'database',
  'user',
  'secrets.password',
  'ssl.mode',
  'ssl.rootCert',
  'ssl.cert',
  'ssl.key',
  'ssh.host',
  'ssh.port',
  'ssh.user',
  'ssh.auth',
  'secrets.sshPassword',
  'ssh.privateKeyFile',
  'secrets.sshPassphrase',
  'ssh.jump.host',
  'ssh.jump.port',
  'ssh.jump.user',
  'ssh.jump.auth',
  'secrets.jumpPassword',
  'ssh.jump.privateKeyFile',
  'secrets.jumpPassphrase',
  'color',
  'readOnly',
  'keepSecretsInMemory',
] as const;

/**
 * The form's key for a field the server named: `profile.host` and `host` are both `host`;
 * `profile.ssh.jump.host` is `ssh.jump.host`; `secrets.password` stays. Null: not a field the
 * form shows (the error is said above the form instead).
 */
export function formFieldOf(serverField: string | undefined): string | null {
  if (!serverField) return null;
  const key = serverField.replace(/^profile\./, '').replace(/^ssl\.sslmode$/, 'ssl.mode');
  return (FIELD_ORDER as readonly string[]).includes(key) ? key : null;
}

/** Where a server error goes: at its field when it names one the form shows, else above the form. */
export function placeError(error: ApiError): { field: string; message: string } | null {
  const field = formFieldOf(error.field);
  return field ? { field, message: error.message } : null;
}

/** The input id for a field key (TextField's `<name>-input`). */
export function fieldName(key: string): string {
  return `conn-${key.replace(/\./g, '-')}`;
}

export function firstErrorField(errors: FieldErrors): string | undefined {
  return FIELD_ORDER.find((key) => errors[key] !== undefined) ?? Object.keys(errors).find((key) => errors[key] !== undefined);
}
