import { useEffect, useRef, useState } from 'react';
import type { ConnectionEntry, ProfileDraft, SecretsInput } from '../../../shared/contract';
import { api } from '../../lib/api';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { connectionGeneration, stillOn, useCurrentConnectionStore } from '../../lib/currentConnection';
import { toApiError } from '../../lib/toApiError';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ColorTag } from './ColorTag';
import { copyName, entryAddress } from './connectionFormat';
import { connectionsColumns } from './connectionsColumns';
import { startEntry, useConnectionsStore, useCurrentConnectionView } from './connectionsStore';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';
import { ImportDialog } from './ImportDialog';
import { MigrationsPanel } from './MigrationsPanel';
import { profileFromEntry } from './profileForm';
import { ProfileFormDialog } from './ProfileFormDialog';
import { SecretStorageNote } from './SecretStorageNote';
import { useConnectFlow } from './useConnectFlow';

type OpenDialog =
  | { kind: 'none' }
  | { kind: 'form'; key: string; profile: ProfileDraft | null; secrets?: SecretsInput; entry?: ConnectionEntry }
  | { kind: 'delete'; entry: ConnectionEntry }
  | { kind: 'import' };

/** A sentence about what just happened, for the screen's live region; `id` makes the same words twice be said twice. */
interface Notice {
  id: number;
  text: string;
  tone: 'ok' | 'error';
}
let noticeSeq = 0;

/** Moves this window to a connection: every screen's state is reset, and app info is read again. */
export function showInWindow(entry: ConnectionEntry): void {
  const current = useCurrentConnectionStore.getState();
  // The same connection opened again (after a disconnect, or an edit that moved it): start over too.
  if (current.id === entry.id) current.reload();
  else current.switchTo(entry.id);
}

/**
 * Every connection the app knows (the embedded database, DATABASE_URL, the saved profiles) with
 * its live state, what can be done with each, and the migrations of the one this window shows.
 */
export function ConnectionsScreen() {
  const entries = useConnectionsStore((s) => s.entries);
  const loaded = useConnectionsStore((s) => s.loaded);
  const loading = useConnectionsStore((s) => s.loading);
  const listError = useConnectionsStore((s) => s.error);
  const storage = useConnectionsStore((s) => s.secretStorage);
  const { load, receive, drop } = useConnectionsStore.getState();
  const view = useCurrentConnectionView();
  const current = view.entry;
  const currentId = current?.id ?? null;
  const generation = useCurrentConnectionStore((s) => s.generation);
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [closingId, setClosingId] = useState<string | null>(null);

  useEffect(() => {
    void useConnectionsStore.getState().load();
  }, []);

  const say = (text: string, tone: Notice['tone'] = 'ok') => setNotice({ id: ++noticeSeq, text, tone });

  /** Saves the profiles as a file (a download): no password is in it, the importing side asks. */
  async function exportConnections(): Promise<void> {
    try {
      const { fileName, text, count } = await api.connections.export({});
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      link.download = fileName;
      link.click();
      URL.revokeObjectURL(link.href);
      say(`Exported ${count === 1 ? '1 connection' : `${count} connections`} to ${fileName} (no passwords).`);
    } catch (caught) {
      say(`Could not export the connections: ${toApiError(caught).message}`, 'error');
    }
  }

  /** The window's generation when Connect was clicked: a slow open never moves a window the admin has moved since. */
  const connectClickedAt = useRef(0);
  const flow = useConnectFlow({
    onConnected: (entry) => {
      if (!stillOn(connectClickedAt.current)) {
        say(`${entry.name} is open. Switch to it from the list when you want this window to show it.`);
        return;
      }
      showInWindow(entry);
      say(`Connected to ${entry.name}. This window now shows it.`);
    },
    onProblem: (entry, error) => say(`Could not connect to ${entry.name}: ${error.message}`, 'error'),
  });

  /** Leaves a connection the window is about to lose (disconnected, deleted) for the app's start connection. */
  function leave(id: string): void {
    if (id !== useCurrentConnectionStore.getState().id) return;
    const start = startEntry(useConnectionsStore.getState().entries);
    if (start && start.id !== id) showInWindow(start);
    else useCurrentConnectionStore.getState().forget();
  }

  async function disconnect(entry: ConnectionEntry): Promise<void> {
    setClosingId(entry.id);
    try {
      receive(await api.connections.close({ id: entry.id }));
      leave(entry.id);
      say(`Disconnected ${entry.name}.`);
    } catch (caught) {
      say(`Could not disconnect ${entry.name}: ${toApiError(caught).message}`, 'error');
    } finally {
      setClosingId(null);
    }
  }

  const { connect, connectingId, dialog: flowDialog } = flow;
  const columns = connectionsColumns({
    currentId,
    connectingId,
    closingId,
    onConnect: (entry) => {
      setNotice(null);
      connectClickedAt.current = connectionGeneration();
      connect(entry);
    },
    onSwitch: (entry) => {
      showInWindow(entry);
      say(`This window now shows ${entry.name}.`);
    },
    onDisconnect: (entry) => void disconnect(entry),
    onEdit: (entry) => setDialog({ kind: 'form', key: `edit-${entry.id}`, profile: entry.profile ?? null, entry }),
    onDuplicate: (entry) => {
      const source = entry.profile ?? profileFromEntry(entry);
      const { id: _id, ...copy } = source;
      setDialog({ kind: 'form', key: `copy-${entry.id}-${++noticeSeq}`, profile: { ...copy, name: copyName(source.name) } });
    },
    onDelete: (entry) => setDialog({ kind: 'delete', entry }),
  });

  const close = () => setDialog({ kind: 'none' });

  return (
    <section className="screen" aria-labelledby="connections-heading">
      <h2 id="connections-heading" className="screen-title">
        Connections
      </h2>
      {current && (
        <p className="screen-subtitle">
          This window shows <ColorTag color={current.color} /> <strong>{current.name}</strong>{' '}
          <span className="muted">({entryAddress(current)})</span>
        </p>
      )}
      <div className="toolbar">
        <SecretStorageNote storage={storage} />
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="button"
          disabled={!entries.some((entry) => entry.kind === 'profile')}
          onClick={() => void exportConnections()}
        >
          Export connections
        </button>
        <button type="button" className="button" onClick={() => setDialog({ kind: 'import' })}>
          Import connections
        </button>
        <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'form', key: 'new', profile: null })}>
          New connection
        </button>
      </div>
      {/* Always in the page, so what is put in it is announced. */}
      <div role="status" className="connections-announcement">
        {notice?.tone === 'ok' && (
          <p key={notice.id} className="announcement">
            {notice.text}
          </p>
        )}
      </div>
      {notice?.tone === 'error' && <ErrorAlert key={notice.id} message={notice.text} />}
      {listError && <ErrorAlert title="Could not read the connections" message={listError.message} onRetry={() => void load()} />}
      {!loaded && loading && (
        <p role="status" className="loading">
          Reading the connections…
        </p>
      )}
      {loaded && (
        <div className="connections-table">
          <DataTable label="Connections" columns={columns} rows={entries} rowKey={(entry) => entry.id} highlightKey={currentId} busy={loading} />
        </div>
      )}

      {view.name !== null && <MigrationsPanel key={generation} name={view.name} readOnly={view.readOnly} />}

      {flowDialog}
      {dialog.kind === 'form' && (
        <ProfileFormDialog
          key={dialog.key}
          profile={dialog.profile}
          secrets={dialog.secrets}
          entry={dialog.entry}
          storage={storage}
          onCancel={close}
          onSaved={(entry, created) => {
            close();
            receive(entry);
            say(created ? `Saved ${entry.name}. Connect to open it.` : `Saved ${entry.name}.`);
            // The window's own connection changed (say, its name or read-only): read its app info again.
            if (entry.id === useCurrentConnectionStore.getState().id) void useAppInfoStore.getState().load();
          }}
        />
      )}
      {dialog.kind === 'delete' && (
        <DeleteConnectionDialog
          key={dialog.entry.id}
          entry={dialog.entry}
          onCancel={close}
          onDeleted={(id) => {
            close();
            leave(id);
            drop(id);
            say(`Deleted ${dialog.entry.name}.`);
          }}
        />
      )}
      {dialog.kind === 'import' && (
        <ImportDialog
          storage={storage}
          onCancel={close}
          onPrefill={(profile, secrets) => setDialog({ kind: 'form', key: `import-${++noticeSeq}`, profile, secrets })}
          onImported={(saved) => {
            close();
            for (const entry of saved) receive(entry);
            say(saved.length === 1 ? `Imported ${saved[0]?.name ?? 'one connection'}.` : `Imported ${saved.length} connections.`);
          }}
        />
      )}
    </section>
  );
}
