import { useMemo } from 'react';
import type { BackupEntry } from '../../../shared/contract';
import { api } from '../../lib/api';
import { startDownload } from '../../lib/download';
import { toApiError } from '../../lib/toApiError';
import { connection } from '../../lib/transport';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { backupColumns } from './backupColumns';
import { useBackupsStore } from './backupsStore';

interface BackupHistoryProps {
  onRestore: (entry: BackupEntry) => void;
  onDelete: (entry: BackupEntry) => void;
  onChangeFolder: () => void;
  /**
   * Why restoring cannot work here (a read-only connection), shown above the table and tied to
   * every Restore… button, which then does nothing; undefined when restoring is offered.
   */
  restoreUnavailableReason?: string;
}

/** The id of the note that says why Restore… is unavailable. */
const RESTORE_UNAVAILABLE_ID = 'backups-restore-unavailable';

/** The desktop app can show a file in the file manager; a browser can only download it. */
const OPEN_MODE = connection.kind === 'ipc' ? 'reveal' : 'download';

/** Every backup in the folder, newest first, with what can be done to each; and the folder itself. */
export function BackupHistory({ onRestore, onDelete, onChangeFolder, restoreUnavailableReason }: BackupHistoryProps) {
  const restoreUnavailableReasonId = restoreUnavailableReason === undefined ? undefined : RESTORE_UNAVAILABLE_ID;
  const folder = useBackupsStore((s) => s.folder);
  const backups = useBackupsStore((s) => s.backups);
  const loaded = useBackupsStore((s) => s.loaded);
  const loading = useBackupsStore((s) => s.loading);
  const error = useBackupsStore((s) => s.error);
  const highlight = useBackupsStore((s) => s.highlight);
  const verifying = useBackupsStore((s) => s.verifying);
  const { load, verify, setProblem, clearMessages, refresh } = useBackupsStore.getState();

  const columns = useMemo(
    () =>
      backupColumns({
        mode: OPEN_MODE,
        verifying,
        onVerify: (entry) => void verify(entry.name),
        onOpen: (entry) => {
          clearMessages();
          const opening =
            OPEN_MODE === 'reveal'
              ? api.backups.reveal({ name: entry.name }).then(() => undefined)
              : api.backups.download({ name: entry.name }).then(({ url }) => startDownload(url, entry.name));
          opening.catch((caught: unknown) => {
            const apiError = toApiError(caught);
            setProblem({ title: `Could not ${OPEN_MODE === 'reveal' ? 'show' : 'download'} ${entry.name}`, message: apiError.message });
            if (apiError.code === 'NOT_FOUND') void refresh();
          });
        },
        onRestore,
        onDelete,
        restoreUnavailableReasonId,
      }),
    [verifying, verify, setProblem, clearMessages, refresh, onRestore, onDelete, restoreUnavailableReasonId],
  );

  return (
    <section className="backups-section" aria-labelledby="backups-history-heading">
      <div className="section-header">
        <h3 id="backups-history-heading" className="section-title">
          History
        </h3>
        {loading && (
          <span role="status" className="loading">
            Loading backups…
          </span>
        )}
      </div>
      <p className="folder-line">
        <span className="muted">Backups folder:</span> <code className="folder-path">{folder ?? '…'}</code>
        <button type="button" className="button button-small" aria-disabled={folder === null || undefined} onClick={() => folder && onChangeFolder()}>
          Change folder…
        </button>
      </p>
      {restoreUnavailableReason !== undefined && (
        <p id={RESTORE_UNAVAILABLE_ID} className="field-hint">
          {restoreUnavailableReason}
        </p>
      )}
      {error && <ErrorAlert title="Could not list the backups" message={error.message} onRetry={() => void load()} />}
      {backups.length > 0 && (
        // Its own minimum width (wider than other tables: eight columns): below it the page scrolls sideways.
        <div className="backups-table">
          <DataTable label="Backups" columns={columns} rows={backups} rowKey={(entry) => entry.name} highlightKey={highlight} busy={loading} />
        </div>
      )}
      {loaded && !error && backups.length === 0 && <p className="empty-state">No backups yet. Back up now to make the first one.</p>}
    </section>
  );
}
