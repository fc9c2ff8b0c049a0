import { useState, type ReactNode } from 'react';
import { secretNameSchema, type ConnectionEntry, type HostKey, type SecretName, type SecretsInput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { useConnectionsStore } from './connectionsStore';
import { CreateDatabaseDialog } from './CreateDatabaseDialog';
import { HostKeyDialog } from './HostKeyDialog';
import { PasswordPromptDialog } from './PasswordPromptDialog';

/** A question an error asks before the connection can open. */
type Prompt =
  | { kind: 'hostKey'; entry: ConnectionEntry; hostKey: HostKey; secrets: SecretsInput }
  | { kind: 'createDatabase'; entry: ConnectionEntry; secrets: SecretsInput }
  | { kind: 'password'; entry: ConnectionEntry; secret: SecretName; reason: string; secrets: SecretsInput };

/** Which secret an error asks for: the one its field names (`secrets.sshPassword`), else the database password. */
export function secretAskedFor(error: ApiError): SecretName {
  const named = secretNameSchema.safeParse(error.field?.replace(/^secrets\./, ''));
  return named.success ? named.data : 'password';
}

/** A password that is missing or was refused: asked again at the password field. */
export function isPasswordProblem(error: ApiError): boolean {
  return error.offer === 'enterPassword' || (error.field?.startsWith('secrets.') ?? false);
}

/** What to ask, from the error's offer; null when there is nothing to offer (the error is just shown). */
function promptFor(entry: ConnectionEntry, error: ApiError, secrets: SecretsInput): Prompt | null {
  if (error.hostKey) return { kind: 'hostKey', entry, hostKey: error.hostKey, secrets };
  if (error.offer === 'createDatabase' && entry.kind === 'profile') return { kind: 'createDatabase', entry, secrets };
  if (error.offer === 'enterPassword') return { kind: 'password', entry, secret: secretAskedFor(error), reason: error.message, secrets };
  // A saved password (or SSH password, passphrase) the server refused: ask for the right one, with why.
  if (error.code === 'CONNECTION' && entry.kind === 'profile' && error.field?.startsWith('secrets.')) {
    return { kind: 'password', entry, secret: secretAskedFor(error), reason: error.message, secrets };
  }
  return null;
}

interface ConnectFlowOptions {
  /** The connection is open: the window switches to it. */
  onConnected: (entry: ConnectionEntry) => void;
  /** It could not open, and there is nothing to ask: say why. */
  onProblem: (entry: ConnectionEntry, error: ApiError) => void;
}

/**
 * Connect, with what an error may offer on the way: trust an SSH host key, create a missing
 * database, type a password that is not saved. Returns `connect`, the connection being opened
 * (for its button's "Connecting…") and the dialog to render.
 */
export function useConnectFlow({ onConnected, onProblem }: ConnectFlowOptions): {
  connect: (entry: ConnectionEntry) => void;
  connectingId: string | null;
  dialog: ReactNode;
} {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [connectingId, setConnectingId] = useState<string | null>(null);
  const storage = useConnectionsStore((s) => s.secretStorage);
  const receive = useConnectionsStore((s) => s.receive);

  /** Opens it; on failure, the error (nothing is shown yet). */
  async function open(entry: ConnectionEntry, secrets: SecretsInput): Promise<ApiError | null> {
    setConnectingId(entry.id);
    try {
      const opened = await api.connections.open({ id: entry.id, secrets });
      receive(opened);
      setConnectingId(null);
      setPrompt(null);
      onConnected(opened);
      return null;
    } catch (caught) {
      setConnectingId(null);
      return toApiError(caught);
    }
  }

  /** What comes after a failure: the next question, or the error said. */
  function follow(entry: ConnectionEntry, error: ApiError, secrets: SecretsInput): void {
    const next = promptFor(entry, error, secrets);
    setPrompt(next);
    if (!next) onProblem(entry, error);
  }

  async function attempt(entry: ConnectionEntry, secrets: SecretsInput = {}): Promise<void> {
    const error = await open(entry, secrets);
    if (error) follow(entry, error, secrets);
  }

  /**
   * The answer to one prompt, with those typed before it in this attempt (an SSH password, then the
   * database's): each is sent with the next, so two passwords never ask for each other in turn.
   */
  async function submitPassword(
    entry: ConnectionEntry,
    secret: SecretName,
    value: string,
    remember: boolean,
    earlier: SecretsInput,
  ): Promise<string | null> {
    let secrets: SecretsInput = { ...earlier, [secret]: value };
    if (remember && entry.profile) {
      try {
        receive(
          await api.connections.save({ profile: entry.profile, secrets: { [secret]: value }, keepSecretsInMemory: storage?.kind === 'memory' }),
        );
        secrets = { ...earlier };
      } catch (caught) {
        return `Could not remember it: ${toApiError(caught).message}`;
      }
    }
    const error = await open(entry, secrets);
    if (!error) return null;
    if (isPasswordProblem(error) && secretAskedFor(error) === secret) return error.message;
    follow(entry, error, secrets);
    return null;
  }

  let dialog: ReactNode = null;
  if (prompt?.kind === 'hostKey') {
    dialog = (
      <HostKeyDialog
        key={prompt.hostKey.fingerprint}
        hostKey={prompt.hostKey}
        onCancel={() => setPrompt(null)}
        onTrusted={() => {
          setPrompt(null);
          void attempt(prompt.entry, prompt.secrets);
        }}
      />
    );
  } else if (prompt?.kind === 'createDatabase') {
    dialog = (
      <CreateDatabaseDialog
        id={prompt.entry.id}
        secrets={prompt.secrets}
        database={prompt.entry.database}
        server={`${prompt.entry.host}:${prompt.entry.port}`}
        onCancel={() => setPrompt(null)}
        onCreated={(created) => {
          receive(created);
          setPrompt(null);
          if (created.state === 'open') onConnected(created);
          else void attempt(created, prompt.secrets);
        }}
      />
    );
  } else if (prompt?.kind === 'password') {
    dialog = (
      <PasswordPromptDialog
        key={`${prompt.entry.id}-${prompt.secret}`}
        entry={prompt.entry}
        secret={prompt.secret}
        storage={storage}
        reason={prompt.reason}
        onCancel={() => setPrompt(null)}
        onSubmit={(value, remember) => submitPassword(prompt.entry, prompt.secret, value, remember, prompt.secrets)}
      />
    );
  }

  return {
    connect: (entry) => {
      if (connectingId) return;
      void attempt(entry);
    },
    connectingId,
    dialog,
  };
}
