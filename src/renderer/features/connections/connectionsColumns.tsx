import type { ConnectionEntry } from '../../../shared/contract';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';
import { ColorTag, ReadOnlyBadge } from './ColorTag';
import { entryAddress, KIND_LABELS, STATE_LABELS } from './connectionFormat';

export interface ConnectionRowActions {
  /** The connection this window shows. */
  currentId: string | null;
  /** Being opened now (its Connect button says so). */
  connectingId: string | null;
  /** Being disconnected now. */
  closingId: string | null;
  onConnect: (entry: ConnectionEntry) => void;
  onSwitch: (entry: ConnectionEntry) => void;
  onDisconnect: (entry: ConnectionEntry) => void;
  onEdit: (entry: ConnectionEntry) => void;
  onDuplicate: (entry: ConnectionEntry) => void;
  onDelete: (entry: ConnectionEntry) => void;
}

/** The connections table's columns, left to right; widths are in the stylesheet (`.col-conn-*`). */
export function connectionsColumns(actions: ConnectionRowActions): DataTableColumn<ConnectionEntry>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      className: 'col-conn-name',
      cell: (entry) => (
        <span className="conn-name-cell">
          <span className="conn-name-line">
            <ColorTag color={entry.color} />
            <TruncatedText text={entry.name} />
          </span>
          <span className="cell-note">
            {KIND_LABELS[entry.kind]}
            {entry.id === actions.currentId && <span className="badge badge-current">this window</span>}
            {entry.readOnly && <ReadOnlyBadge />}
          </span>
        </span>
      ),
    },
    { id: 'address', header: 'Address', className: 'col-conn-address', cell: (entry) => <TruncatedText text={entryAddress(entry)} /> },
    { id: 'ssl', header: 'SSL', className: 'col-conn-ssl', cell: (entry) => entry.sslMode ?? <span className="muted">—</span> },
    {
      id: 'ssh',
      header: 'SSH',
      className: 'col-conn-ssh',
      cell: (entry) => (entry.via ? <TruncatedText text={`via ${entry.via}`} /> : <span className="muted">direct</span>),
    },
    { id: 'state', header: 'State', className: 'col-conn-state', cell: (entry) => <StateCell entry={entry} /> },
    { id: 'actions', header: 'Actions', className: 'col-conn-actions', cell: (entry) => <RowActions entry={entry} actions={actions} /> },
  ];
}

function StateCell({ entry }: { entry: ConnectionEntry }) {
  return (
    <span className={`conn-state conn-state-${entry.state}`}>
      {STATE_LABELS[entry.state]}
      {entry.message && <span className="cell-note">{entry.message}</span>}
    </span>
  );
}

function RowActions({ entry, actions }: { entry: ConnectionEntry; actions: ConnectionRowActions }) {
  const current = entry.id === actions.currentId;
  const profile = entry.kind === 'profile';
  const connecting = actions.connectingId === entry.id;
  const closing = actions.closingId === entry.id;
  return (
    <div className="row-actions">
      {entry.state === 'closed' && (
        <button
          type="button"
          className="button button-small button-primary"
          aria-label={`Connect ${entry.name}`}
          aria-disabled={actions.connectingId !== null || undefined}
          onClick={() => {
            if (actions.connectingId === null) actions.onConnect(entry);
          }}
        >
          {connecting ? 'Connecting…' : 'Connect'}
        </button>
      )}
      {entry.state !== 'closed' && !current && (
        <button type="button" className="button button-small" aria-label={`Switch to ${entry.name}`} onClick={() => actions.onSwitch(entry)}>
          Switch to
        </button>
      )}
      {entry.state !== 'closed' && profile && (
        <button
          type="button"
          className="button button-small"
          aria-label={`Disconnect ${entry.name}`}
          aria-disabled={closing || undefined}
          onClick={() => {
            if (!closing) actions.onDisconnect(entry);
          }}
        >
          {closing ? 'Disconnecting…' : 'Disconnect'}
        </button>
      )}
      {profile && (
        <button type="button" className="button button-small" aria-label={`Edit ${entry.name}`} onClick={() => actions.onEdit(entry)}>
          Edit
        </button>
      )}
      <button type="button" className="button button-small" aria-label={`Duplicate ${entry.name}`} onClick={() => actions.onDuplicate(entry)}>
        Duplicate
      </button>
      {profile && (
        <button
          type="button"
          className="button button-small button-danger-quiet"
          aria-label={`Delete ${entry.name}`}
          onClick={() => actions.onDelete(entry)}
        >
          Delete
        </button>
      )}
    </div>
  );
}
