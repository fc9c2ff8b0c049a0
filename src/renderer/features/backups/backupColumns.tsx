import type { BackupEntry } from '../../../shared/contract';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';
import { FORMAT_LABELS, kindText, localTimeText, rowCountsText, sizeText } from './backupFormat';

/** Tables named in a row's summary; the rest are counted ("+ 12 more") and listed in its tooltip. */
const ROW_COUNTS_SHOWN = 4;

export interface BackupRowActions {
  /** Desktop shows the file in its folder; the browser downloads it. */
  mode: 'reveal' | 'download';
  /** Verifications running, by backup name. */
  verifying: Record<string, string>;
  onVerify: (entry: BackupEntry) => void;
  onOpen: (entry: BackupEntry) => void;
  onRestore: (entry: BackupEntry) => void;
  onDelete: (entry: BackupEntry) => void;
}

/** The history table's columns, left to right; widths are in the stylesheet (`.col-backup-*`). */
export function backupColumns(actions: BackupRowActions): DataTableColumn<BackupEntry>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      className: 'col-backup-name',
      cell: (entry) => (
        <>
          <span className="wrap-anywhere">{entry.name}</span>
          {/* A folder of files cannot be downloaded as one: say where it is instead. */}
          {entry.format === 'directory' && actions.mode === 'download' && (
            <span className="cell-note">
              Folder on the server: <span className="wrap-anywhere">{entry.path}</span>
            </span>
          )}
        </>
      ),
    },
    {
      id: 'created',
      header: 'Created',
      className: 'col-backup-created',
      cell: (entry) => <time dateTime={entry.createdAt}>{localTimeText(entry.createdAt)}</time>,
    },
    { id: 'format', header: 'Format', className: 'col-backup-format', cell: (entry) => FORMAT_LABELS[entry.format] },
    { id: 'size', header: 'Size', className: 'col-backup-size', cell: (entry) => sizeText(entry.size) },
    {
      id: 'kind',
      header: 'Kind',
      className: 'col-backup-kind',
      cell: (entry) => (entry.manifest ? kindText(entry) : <span className="muted">{kindText(entry)}</span>),
    },
    {
      id: 'rows',
      header: 'Rows',
      className: 'col-backup-rows',
      cell: (entry) =>
        entry.manifest ? (
          <span className="wrap-anywhere" title={rowCountsText(entry.manifest.rowCounts)}>
            {rowCountsText(entry.manifest.rowCounts, ROW_COUNTS_SHOWN)}
          </span>
        ) : (
          <span className="muted">Unknown</span>
        ),
    },
    {
      id: 'verification',
      header: 'Verification',
      className: 'col-backup-verification',
      cell: (entry) => <VerificationCell entry={entry} verifying={actions.verifying[entry.name] !== undefined} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      className: 'col-backup-actions',
      cell: (entry) => <RowActions entry={entry} actions={actions} />,
    },
  ];
}

function VerificationCell({ entry, verifying }: { entry: BackupEntry; verifying: boolean }) {
  if (verifying) return <span className="muted">Verifying…</span>;
  const verification = entry.verification;
  if (!verification) return <span className="muted">Not verified</span>;
  if (verification.state === 'verified') {
    return (
      <span className="verified" title={verification.message}>
        Verified <span aria-hidden="true">✓</span>
        <span className="cell-note">
          <time dateTime={verification.checkedAt}>{localTimeText(verification.checkedAt)}</time>
        </span>
      </span>
    );
  }
  return (
    <span className="error-text">
      Failed: <TruncatedText text={verification.message} />
    </span>
  );
}

function RowActions({ entry, actions }: { entry: BackupEntry; actions: BackupRowActions }) {
  const verifying = actions.verifying[entry.name] !== undefined;
  const canOpen = actions.mode === 'reveal' || entry.format !== 'directory';
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button button-small"
        aria-label={`Verify ${entry.name}`}
        aria-disabled={verifying || undefined}
        onClick={() => {
          if (!verifying) actions.onVerify(entry);
        }}
      >
        Verify
      </button>
      {canOpen && (
        <button
          type="button"
          className="button button-small"
          aria-label={actions.mode === 'reveal' ? `Show ${entry.name} in folder` : `Download ${entry.name}`}
          onClick={() => actions.onOpen(entry)}
        >
          {actions.mode === 'reveal' ? 'Show in folder' : 'Download'}
        </button>
      )}
      <button type="button" className="button button-small" aria-label={`Restore ${entry.name}…`} onClick={() => actions.onRestore(entry)}>
        Restore…
      </button>
      <button
        type="button"
        className="button button-small button-danger-quiet"
        aria-label={`Delete ${entry.name}…`}
        onClick={() => actions.onDelete(entry)}
      >
        Delete…
      </button>
    </div>
  );
}
