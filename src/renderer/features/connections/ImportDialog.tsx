import { useState, type FormEvent } from 'react';
import type { ConnectionEntry, ProfileDraft, ProcedureOutput, SecretsInput, SecretStorage } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { entryAddress } from './connectionFormat';
import { useConnectionsStore } from './connectionsStore';
import { writesSecrets } from './profileForm';
import { KeepInMemoryCheck } from './SecretStorageNote';

type Source = 'url' | 'pg-service' | 'pgadmin' | 'simple-db';
type ImportAnswer = ProcedureOutput<'connections.import'>;

const SOURCES: { value: Source; label: string }[] = [
  { value: 'url', label: 'A connection URL' },
  { value: 'pg-service', label: 'A PostgreSQL service file (~/.pg_service.conf)' },
  { value: 'pgadmin', label: 'A pgAdmin servers.json export' },
  { value: 'simple-db', label: 'A Simple DB connections file (Export connections)' },
];

/** The largest file read (the backend takes at most this much text). */
const MAX_FILE_CHARS = 1_000_000;

interface ImportDialogProps {
  storage: SecretStorage | null;
  /** A URL is one connection: it opens in the connection form, filled in, to check and save. */
  onPrefill: (profile: ProfileDraft, secrets: SecretsInput) => void;
  onImported: (saved: ConnectionEntry[]) => void;
  onCancel: () => void;
}

/**
 * Brings connections in from a URL, a pg_service.conf or a pgAdmin export. Nothing is saved until
 * the admin has seen what was read (and what was skipped, and why) and chosen which to keep.
 */
export function ImportDialog({ storage, onPrefill, onImported, onCancel }: ImportDialogProps) {
  const [source, setSource] = useState<Source>('url');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [chosen, setChosen] = useState<boolean[]>([]);
  const [keepInMemory, setKeepInMemory] = useState(false);
  const [failures, setFailures] = useState<{ name: string; message: string }[]>([]);

  function reset(next: Source): void {
    setSource(next);
    setFile(null);
    setFieldError(null);
    setError(null);
    setAnswer(null);
    setFailures([]);
  }

  async function readFile(picked: File | undefined): Promise<void> {
    setFieldError(null);
    setFile(null);
    if (!picked) return;
    if (picked.size > MAX_FILE_CHARS) {
      setFieldError('This file is larger than 1 MB; it is not a connection list Simple DB can read.');
      return;
    }
    try {
      setFile({ name: picked.name, text: await picked.text() });
    } catch {
      setFieldError('Could not read this file.');
    }
  }

  async function read(): Promise<void> {
    setError(null);
    let text: string | undefined;
    if (source === 'url') {
      if (url.trim() === '') {
        setFieldError('Paste a connection URL, e.g. postgresql://app@db.example.com:5432/app?sslmode=require.');
        return;
      }
      text = url.trim();
    } else if (source === 'pgadmin' || source === 'simple-db') {
      if (!file) {
        setFieldError(
          source === 'pgadmin'
            ? 'Choose the servers.json file exported from pgAdmin (Tools › Import/Export Servers).'
            : 'Choose the file Simple DB wrote with Export connections.',
        );
        return;
      }
      text = file.text;
    } else {
      text = file?.text;
    }
    setBusy(true);
    try {
      const read = await api.connections.import({ source, text });
      setBusy(false);
      if (source === 'url') {
        const first = read.drafts[0];
        if (first) {
          onPrefill(first.profile, first.secrets);
          return;
        }
        setFieldError(read.skipped[0]?.reason ?? 'This URL names no connection.');
        return;
      }
      setAnswer(read);
      // One already saved under that name is left unticked (saving it again would only be refused).
      const saved = new Set(useConnectionsStore.getState().entries.map((entry) => entry.name.toLowerCase()));
      setChosen(read.drafts.map((draft) => !saved.has(draft.profile.name.toLowerCase())));
      setFailures([]);
    } catch (caught) {
      setBusy(false);
      const apiError = toApiError(caught);
      if (apiError.field === 'text') setFieldError(apiError.message);
      else setError(apiError.message);
    }
  }

  const picked = answer ? answer.drafts.filter((_, index) => chosen[index]) : [];
  const memory = storage?.kind === 'memory';
  const carriesSecrets = picked.some((draft) => writesSecrets(draft.secrets));

  async function save(): Promise<void> {
    if (busy || picked.length === 0) return;
    setBusy(true);
    setError(null);
    const saved: ConnectionEntry[] = [];
    const failed: { name: string; message: string }[] = [];
    // Without agreement to in-memory storage, passwords read from the file are not kept.
    const keepSecrets = !memory || keepInMemory;
    for (const draft of picked) {
      try {
        const entry = await api.connections.save({
          profile: draft.profile,
          secrets: keepSecrets ? draft.secrets : {},
          keepSecretsInMemory: memory && keepInMemory,
        });
        // Listed at once: the dialog may be cancelled after a partial import.
        useConnectionsStore.getState().receive(entry);
        saved.push(entry);
      } catch (caught) {
        failed.push({ name: draft.profile.name, message: toApiError(caught).message });
      }
    }
    setBusy(false);
    if (failed.length === 0) {
      onImported(saved);
      return;
    }
    // Keep the ones that failed on the list, unticked the ones that were saved.
    setFailures(failed);
    if (answer) setChosen(answer.drafts.map((draft, index) => (chosen[index] ?? false) && failed.some((f) => f.name === draft.profile.name)));
    if (saved.length > 0) setError(`Saved ${saved.length}; ${failed.length} could not be saved (see below).`);
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (answer) void save();
    else void read();
  }

  return (
    <Modal title="Import connections" onDismiss={onCancel} busy={busy}>
      <form className="form import-form" noValidate onSubmit={submit}>
        <fieldset className="fieldset">
          <legend className="field-label">Import from</legend>
          {SOURCES.map((choice) => (
            <label key={choice.value} className="check">
              <input
                type="radio"
                name="import-source"
                value={choice.value}
                checked={source === choice.value}
                disabled={busy}
                onChange={() => reset(choice.value)}
              />
              {choice.label}
            </label>
          ))}
        </fieldset>

        {source === 'url' && (
          <TextField
            name="import-url"
            label="Connection URL"
            // It may hold a password: typed and pasted blind, as a password is.
            type="password"
            autoComplete="off"
            placeholder="postgresql://user@host:5432/database?sslmode=require"
            hint="Hidden as you type, since it may hold a password. It opens in the connection form to check and save; a password in it is filled in, never shown."
            value={url}
            error={fieldError}
            readOnly={busy}
            onChange={(value) => {
              setUrl(value);
              setFieldError(null);
            }}
          />
        )}
        {source !== 'url' && !answer && (
          <div className="field">
            <label htmlFor="import-file-input" className="field-label">
              {source === 'pgadmin' ? 'servers.json file' : source === 'simple-db' ? 'Connections file' : 'Service file (optional)'}
            </label>
            <input
              id="import-file-input"
              type="file"
              className="input"
              accept={source === 'pgadmin' || source === 'simple-db' ? '.json,application/json' : '.conf,text/plain'}
              disabled={busy}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={`import-file-hint${fieldError ? ' import-file-error' : ''}`}
              onChange={(event) => void readFile(event.target.files?.[0])}
            />
            {fieldError && (
              <p id="import-file-error" className="field-error">
                {fieldError}
              </p>
            )}
            <p id="import-file-hint" className="field-hint">
              {source === 'pgadmin'
                ? 'Export it in pgAdmin with Tools › Import/Export Servers. pgAdmin does not export passwords.'
                : source === 'simple-db'
                  ? 'Written by Export connections on the Connections screen. It holds no passwords.'
                  : file
                    ? `Reading ${file.name}.`
                    : 'Left empty, Simple DB reads ~/.pg_service.conf (or $PGSERVICEFILE) on this machine.'}
            </p>
          </div>
        )}

        {answer && (
          <ImportChoices
            answer={answer}
            chosen={chosen}
            disabled={busy}
            failures={failures}
            onToggle={(index, value) => setChosen((current) => current.map((was, at) => (at === index ? value : was)))}
          />
        )}
        {answer && memory && carriesSecrets && (
          <>
            <p className="warning-text">
              Some of these carry a password. There is no OS secret store ({storage.detail}): passwords can only be kept in memory until Simple DB
              quits.
            </p>
            <KeepInMemoryCheck name="import-keep" checked={keepInMemory} disabled={busy} onChange={setKeepInMemory} />
            {!keepInMemory && (
              <p className="field-hint">Unticked, the connections are saved without their passwords; you are asked when connecting.</p>
            )}
          </>
        )}

        {error && <ErrorAlert message={error} />}
        {busy && (
          <p role="status" className="form-progress">
            {answer ? 'Saving…' : 'Reading…'}
          </p>
        )}
        <ModalActions
          busy={busy}
          onCancel={onCancel}
          action={
            answer
              ? {
                  label: picked.length === 1 ? 'Save 1 connection' : `Save ${picked.length} connections`,
                  tone: 'primary',
                  unavailable: picked.length === 0,
                  submit: true,
                }
              : { label: source === 'url' ? 'Open in form' : 'Read connections', tone: 'primary', submit: true }
          }
        />
      </form>
    </Modal>
  );
}

interface ImportChoicesProps {
  answer: ImportAnswer;
  chosen: boolean[];
  disabled: boolean;
  failures: { name: string; message: string }[];
  onToggle: (index: number, value: boolean) => void;
}

/** What was read: a checkbox per connection found (each with where it points), then what was skipped and why. */
function ImportChoices({ answer, chosen, disabled, failures, onToggle }: ImportChoicesProps) {
  const entries = useConnectionsStore((s) => s.entries);
  const savedNames = new Set(entries.map((entry) => entry.name.toLowerCase()));
  return (
    <>
      {answer.drafts.length === 0 ? (
        <p className="muted">No connection could be read from it.</p>
      ) : (
        <fieldset className="fieldset">
          <legend className="field-label">Connections found ({answer.drafts.length})</legend>
          <ul className="import-list">
            {answer.drafts.map((draft, index) => {
              const failure = failures.find((f) => f.name === draft.profile.name);
              return (
                <li key={`${draft.profile.name}-${index}`}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={chosen[index] ?? false}
                      disabled={disabled}
                      onChange={(event) => onToggle(index, event.target.checked)}
                    />
                    <span>
                      <strong>{draft.profile.name}</strong> <span className="muted">{entryAddress(draft.profile)}</span>
                      {draft.profile.ssh && <span className="muted"> via SSH {`${draft.profile.ssh.user}@${draft.profile.ssh.host}`}</span>}
                      {writesSecrets(draft.secrets) && <span className="muted"> · with password</span>}
                      {savedNames.has(draft.profile.name.toLowerCase()) && (
                        <span className="muted"> · a connection with this name is already saved</span>
                      )}
                    </span>
                  </label>
                  {failure && <p className="field-error">Not saved: {failure.message}</p>}
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      {answer.skipped.length > 0 && (
        <section aria-labelledby="import-skipped-heading">
          <h3 id="import-skipped-heading" className="subsection-title">
            Skipped ({answer.skipped.length})
          </h3>
          <ul className="plain-list">
            {answer.skipped.map((skipped, index) => (
              <li key={`${skipped.name}-${index}`}>
                <strong>{skipped.name}</strong>: {skipped.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
