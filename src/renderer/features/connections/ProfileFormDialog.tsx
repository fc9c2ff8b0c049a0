import { useRef, useState, type FormEvent } from 'react';
import type { ConnectionEntry, HostKey, ProfileDraft, SecretName, SecretsInput, SecretStorage } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { ColorPicker } from './ColorPicker';
import { expectedSteps, followTest } from './connectionTest';
import { useConnectionsStore } from './connectionsStore';
import { CreateDatabaseDialog } from './CreateDatabaseDialog';
import { HostKeyDialog } from './HostKeyDialog';
import {
  checkProfileForm,
  emptySecrets,
  fieldName,
  firstErrorField,
  FIELD_ORDER,
  formFromProfile,
  placeError,
  secretsInput,
  writesSecrets,
  type FieldErrors,
  type HopForm,
  type ProfileForm,
  type SecretField,
} from './profileForm';
import { SecretInput } from './SecretInput';
import { KeepInMemoryCheck, SecretStorageNote } from './SecretStorageNote';
import { SshHopFields } from './SshHopFields';
import { SslFields } from './SslFields';
import { TestPanel, type TestState } from './TestPanel';
import { isPasswordProblem, secretAskedFor } from './useConnectFlow';

interface ProfileFormDialogProps {
  /** What the form starts with: a saved profile (edit), a copy or an import (new, no id), or nothing. */
  profile: ProfileDraft | null;
  /** Secrets to start with (an imported URL's password). */
  secrets?: SecretsInput;
  /** The saved connection being edited: which secrets it keeps, whether ~/.pgpass has its password. */
  entry?: ConnectionEntry;
  storage: SecretStorage | null;
  onSaved: (entry: ConnectionEntry, created: boolean) => void;
  onCancel: () => void;
}

type Offer = { kind: 'hostKey'; hostKey: HostKey } | { kind: 'createDatabase'; id: string; database: string; server: string; secrets: SecretsInput };

const KNOWN_FIELDS: readonly string[] = FIELD_ORDER;

/**
 * New or edit connection: server, login, SSL, SSH tunnel, colour and read-only, with "Test
 * connection" (each step as it happens) before saving. Errors, the client's or the server's, are
 * shown at their field. Nothing here resets the form but Cancel: a lost connection elsewhere, or
 * a failed test, keeps every character typed.
 */
export function ProfileFormDialog({ profile, secrets: prefill, entry, storage, onSaved, onCancel }: ProfileFormDialogProps) {
  const [form, setForm] = useState<ProfileForm>(() => formFromProfile(profile));
  const [secrets, setSecrets] = useState(() => emptySecrets(prefill));
  const [keepInMemory, setKeepInMemory] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const [testNote, setTestNote] = useState<string | null>(null);
  const [testErrorAtField, setTestErrorAtField] = useState(false);
  const [offer, setOffer] = useState<Offer | null>(null);
  const testSeq = useRef(0);
  const cancelTest = useJobsStore((s) => s.cancel);
  const receive = useConnectionsStore((s) => s.receive);
  const editing = form.id !== undefined;
  const savedSecrets = entry?.savedSecrets ?? [];
  const memory = storage?.kind === 'memory';
  const testing = test.kind === 'running';

  function clearErrors(keys: readonly string[]): void {
    setErrors((current) => {
      const next = { ...current };
      for (const key of keys) delete next[key];
      return next;
    });
  }

  function update(patch: Partial<ProfileForm>, changedKeys: string[]): void {
    setForm((current) => ({ ...current, ...patch }));
    clearErrors(changedKeys);
  }

  function updateHop(which: 'ssh' | 'jump', patch: Partial<HopForm>, changedKeys: string[]): void {
    setForm((current) => ({ ...current, [which]: { ...current[which], ...patch } }));
    clearErrors(changedKeys);
  }

  function setSecret(name: SecretName, field: SecretField): void {
    setSecrets((current) => ({ ...current, [name]: field }));
    clearErrors([`secrets.${name}`, 'keepSecretsInMemory']);
  }

  /** Shows errors at their fields (anything the form has no field for above it) and focuses the first. */
  function showErrors(found: FieldErrors): void {
    const atFields: FieldErrors = {};
    const elsewhere: string[] = [];
    for (const [key, message] of Object.entries(found)) {
      if (message === undefined) continue;
      if (KNOWN_FIELDS.includes(key)) atFields[key] = message;
      else elsewhere.push(message);
    }
    setErrors(atFields);
    setFormError(elsewhere.length > 0 ? elsewhere.join(' ') : null);
    const first = firstErrorField(atFields);
    if (first) {
      // After React has drawn the field (a hidden section may just have been opened).
      requestAnimationFrame(() => document.getElementById(`${fieldName(first)}-input`)?.focus());
    }
  }

  /** A server error at its field when it names one (true), else above the form (false). */
  function showServerError(error: ApiError): boolean {
    const placed = placeError(error);
    if (placed) showErrors({ [placed.field]: placed.message });
    else if (isPasswordProblem(error)) showErrors({ [`secrets.${secretAskedFor(error)}`]: error.message });
    else {
      setErrors({});
      setFormError(error.message);
      return false;
    }
    return true;
  }

  function checked(): ProfileDraft | null {
    const result = checkProfileForm(form);
    if (result.ok) return result.profile;
    showErrors(result.errors);
    return null;
  }

  async function runTest(): Promise<void> {
    if (testing || saving) return;
    setFormError(null);
    setTestNote(null);
    setTestErrorAtField(false);
    const draft = checked();
    if (!draft) return;
    setErrors({});
    const seq = ++testSeq.current;
    setTest({ kind: 'running', jobId: null, steps: [] });
    let jobId: string;
    try {
      ({ jobId } = await api.connections.test({ profile: draft, secrets: secretsInput(form, secrets, 'test') }));
    } catch (caught) {
      if (seq !== testSeq.current) return;
      const error = toApiError(caught);
      setTest({ kind: 'refused', message: error.message });
      // Said at its field, or (not a field's) under the test, not also above the form.
      if (placeError(error) || isPasswordProblem(error)) setTestErrorAtField(showServerError(error));
      return;
    }
    if (seq !== testSeq.current) return;
    setTest({ kind: 'running', jobId, steps: [] });
    const job = await followTest(
      jobId,
      (steps) => {
        if (seq === testSeq.current) setTest((current) => (current.kind === 'running' ? { ...current, steps } : current));
      },
      expectedSteps(draft),
    );
    if (seq !== testSeq.current) return;
    setTest((current) => ({ kind: 'ended', job, steps: current.kind === 'running' ? current.steps : [] }));
    // The final steps came in the last onSteps call: keep them.
    if (job.state !== 'failed' || !job.error) return;
    const error = job.error;
    if (error.hostKey) {
      setOffer({ kind: 'hostKey', hostKey: error.hostKey });
    } else if (error.offer === 'createDatabase') {
      // Created through the saved profile: only offered when the form still names that very database.
      const saved = entry?.profile;
      const sameTarget =
        saved !== undefined &&
        JSON.stringify([saved.host, saved.port, saved.database, saved.user, saved.ssl, saved.ssh ?? null]) ===
          JSON.stringify([draft.host, draft.port, draft.database, draft.user, draft.ssl, draft.ssh ?? null]);
      if (form.id && sameTarget) {
        setOffer({
          kind: 'createDatabase',
          id: form.id,
          database: draft.database,
          server: `${draft.host}:${draft.port}`,
          secrets: secretsInput(form, secrets, 'test'),
        });
      } else {
        setTestNote(`Save the connection, then Connect: Simple DB offers to create the database ${draft.database}.`);
      }
    }
    if (placeError(error) || isPasswordProblem(error)) setTestErrorAtField(showServerError(error));
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving) return;
    setFormError(null);
    const draft = checked();
    if (!draft) return;
    const toSend = secretsInput(form, secrets, 'save');
    if (memory && writesSecrets(toSend) && !keepInMemory) {
      showErrors({ keepSecretsInMemory: 'Tick this to keep the password until Simple DB quits, or leave the password fields blank.' });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const saved = await api.connections.save({ profile: draft, secrets: toSend, keepSecretsInMemory: memory && keepInMemory });
      onSaved(saved, !editing);
    } catch (caught) {
      setSaving(false);
      showServerError(toApiError(caught));
    }
  }

  const error = (key: string) => errors[key] ?? null;
  const busy = saving;
  return (
    <>
      <Modal title={editing ? 'Edit connection' : 'New connection'} onDismiss={onCancel} busy={saving}>
        <form className="form profile-form" noValidate onSubmit={(event) => void submit(event)}>
          {formError && <ErrorAlert message={formError} />}
          <TextField
            name={fieldName('name')}
            label="Name"
            placeholder="Production (read-only)"
            value={form.name}
            error={error('name')}
            readOnly={busy}
            onChange={(name) => update({ name }, ['name'])}
          />
          <fieldset className="fieldset form-section">
            <legend className="section-legend">Server</legend>
            <div className="form-grid">
              <TextField
                name={fieldName('host')}
                label="Host"
                className="field-wide"
                {...(form.sshEnabled ? { hint: 'As the SSH server sees it (often localhost, when PostgreSQL runs on the SSH server itself).' } : {})}
                value={form.host}
                error={error('host')}
                readOnly={busy}
                onChange={(host) => update({ host }, ['host'])}
              />
              <TextField
                name={fieldName('port')}
                label="Port"
                className="field-port"
                inputMode="numeric"
                value={form.port}
                error={error('port')}
                readOnly={busy}
                onChange={(port) => update({ port }, ['port'])}
              />
              <TextField
                name={fieldName('database')}
                label="Database"
                value={form.database}
                error={error('database')}
                readOnly={busy}
                onChange={(database) => update({ database }, ['database'])}
              />
              <TextField
                name={fieldName('user')}
                label="User"
                value={form.user}
                error={error('user')}
                readOnly={busy}
                onChange={(user) => update({ user }, ['user'])}
              />
            </div>
            <SecretInput
              secret="password"
              field={secrets.password}
              saved={savedSecrets.includes('password')}
              pgpass={entry?.pgpass ?? false}
              error={error('secrets.password')}
              readOnly={busy}
              onChange={(field) => setSecret('password', field)}
            />
          </fieldset>

          <SslFields form={form} errors={errors} readOnly={busy} onChange={update} />

          <fieldset className="fieldset form-section">
            <legend className="section-legend">SSH tunnel</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={form.sshEnabled}
                disabled={busy}
                onChange={(event) => update({ sshEnabled: event.target.checked }, [])}
              />
              Connect through an SSH tunnel
            </label>
            {form.sshEnabled && (
              <>
                <SshHopFields
                  prefix="ssh"
                  hop={form.ssh}
                  errors={errors}
                  secrets={secrets}
                  savedSecrets={savedSecrets}
                  readOnly={busy}
                  onChange={(patch, keys) => updateHop('ssh', patch, keys)}
                  onSecret={setSecret}
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={form.jumpEnabled}
                    disabled={busy}
                    onChange={(event) => update({ jumpEnabled: event.target.checked }, [])}
                  />
                  Reach the SSH host through a jump host (ssh -J)
                </label>
                {form.jumpEnabled && (
                  <div className="jump-host">
                    <SshHopFields
                      prefix="ssh.jump"
                      hop={form.jump}
                      errors={errors}
                      secrets={secrets}
                      savedSecrets={savedSecrets}
                      readOnly={busy}
                      onChange={(patch, keys) => updateHop('jump', patch, keys)}
                      onSecret={setSecret}
                    />
                  </div>
                )}
              </>
            )}
          </fieldset>

          <ColorPicker value={form.color} disabled={busy} onChange={(color) => update({ color }, ['color'])} />
          <label className="check">
            <input
              type="checkbox"
              checked={form.readOnly}
              disabled={busy}
              onChange={(event) => update({ readOnly: event.target.checked }, ['readOnly'])}
            />
            Read-only: Simple DB will not change this database (no edits, migrations or restores)
          </label>

          <div className="secret-storage-block">
            <SecretStorageNote storage={storage} />
            {memory && (
              <KeepInMemoryCheck
                checked={keepInMemory}
                disabled={busy}
                error={error('keepSecretsInMemory')}
                onChange={(value) => {
                  setKeepInMemory(value);
                  clearErrors(['keepSecretsInMemory']);
                }}
              />
            )}
          </div>

          <div className="form-row">
            <button type="button" className="button" aria-disabled={testing || busy || undefined} onClick={() => void runTest()}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
            {test.kind === 'running' && test.jobId && (
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  if (test.jobId) void cancelTest(test.jobId);
                }}
              >
                Cancel test
              </button>
            )}
          </div>
          <TestPanel test={test} note={testNote} errorAtField={testErrorAtField} />

          <ModalActions busy={saving} onCancel={onCancel} action={{ label: 'Save', tone: 'primary', submit: true }} />
          {saving && (
            <p role="status" className="form-progress">
              Saving…
            </p>
          )}
        </form>
      </Modal>

      {/* Beside the form's dialog, not inside it: React would pass an inner dialog's Escape on to the outer one. */}
      {offer?.kind === 'hostKey' && (
        <HostKeyDialog
          hostKey={offer.hostKey}
          onCancel={() => setOffer(null)}
          onTrusted={() => {
            setOffer(null);
            void runTest();
          }}
        />
      )}
      {offer?.kind === 'createDatabase' && (
        <CreateDatabaseDialog
          id={offer.id}
          secrets={offer.secrets}
          database={offer.database}
          server={offer.server}
          onCancel={() => setOffer(null)}
          onCreated={(created) => {
            receive(created);
            setOffer(null);
            void runTest();
          }}
        />
      )}
    </>
  );
}
