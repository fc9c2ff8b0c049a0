import { Fragment } from 'react';
import type { BackupEntry } from '../../../shared/contract';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';
import { FORMAT_LABELS, kindText, localTimeText, namePieces, partialTags, rowCountsText, sizeText } from './backupFormat';

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
  /**
   * Set when restoring cannot work (a read-only connection: the server refuses it, into a new
   * database too): Restore… stays in the row, focusable, but does nothing; the id names the note
   * on screen that says why.
   */
  restoreUnavailableReasonId?: string;
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
          <BreakableName text={entry.name} />
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
      cell: (entry) => <LocalTime iso={entry.createdAt} />,
    },
    { id: 'format', header: 'Format', className: 'col-backup-format', cell: (entry) => FORMAT_LABELS[entry.format] },
    { id: 'size', header: 'Size', className: 'col-backup-size', cell: (entry) => sizeText(entry.size) },
    {
      id: 'kind',
      header: 'Kind',
      className: 'col-backup-kind',
      cell: (entry) => <KindCell entry={entry} />,
    },
    {
      id: 'rows',
      header: 'Rows',
      className: 'col-backup-rows',
      cell: (entry) =>
        entry.manifest ? (
          <span className="row-counts" title={rowCountsText(entry.manifest.rowCounts)}>
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

/** "2026-03-12 14:05" (the screen's one format): in a narrow column the time goes under the date, never apart inside either. */
function LocalTime({ iso }: { iso: string }) {
  const [date, time] = localTimeText(iso).split(' ');
  return (
    <time dateTime={iso} className="local-time">
      <span>{date}</span>
      {time !== undefined && (
        <>
          {' '}
          <span>{time}</span>
        </>
      )}
    </time>
  );
}

/**
 * A backup's name may wrap where it has a - _ or . (its time stays whole on a line where it fits),
 * not between any two letters; only a piece longer than the column is broken inside.
 */
function BreakableName({ text }: { text: string }) {
  return (
    <span className="backup-name">
      {namePieces(text).map((piece, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </span>
  );
}

/** Who made it, and what a partial backup leaves out ("partial: only public.users", "schema only"). */
function KindCell({ entry }: { entry: BackupEntry }) {
  if (!entry.manifest) return <span className="muted">{kindText(entry)}</span>;
  const tags = partialTags(entry.manifest.options);
  return (
    <>
      <span className="backup-kind">{kindText(entry)}</span>
      {tags.map((tag) => (
        <span key={tag.text} className="tag tag-partial" title={tag.title}>
          {tag.text}
        </span>
      ))}
    </>
  );
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
          <LocalTime iso={verification.checkedAt} />
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
  const restoreUnavailable = actions.restoreUnavailableReasonId !== undefined;
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
      <button
        type="button"
        className="button button-small"
        aria-label={`Restore ${entry.name}…`}
        aria-disabled={restoreUnavailable || undefined}
        aria-describedby={actions.restoreUnavailableReasonId}
        onClick={() => {
          if (!restoreUnavailable) actions.onRestore(entry);
        }}
      >
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
