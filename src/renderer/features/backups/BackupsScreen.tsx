import { useCallback, useEffect, useState } from 'react';
import { restoreResultSchema, type BackupEntry, type Job } from '../../../shared/contract';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { databaseLabel } from '../../lib/format/database';
import { toast } from '../../lib/toastStore';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ColorTag } from '../connections/ColorTag';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { AppliedMigrations } from '../migrations/AppliedMigrations';
import { BackupHistory } from './BackupHistory';
import { BackupNow } from './BackupNow';
import { useBackupsStore } from './backupsStore';
import { DeleteBackupDialog } from './DeleteBackupDialog';
import { FolderDialog } from './FolderDialog';
import { RestoreDialog } from './RestoreDialog';
import { MissedRunNotice, SchedulePanel } from './SchedulePanel';
import { watchScheduledRuns } from './scheduleStore';
import { ToolsPanel } from './ToolsPanel';

type OpenDialog =
  { kind: 'none' } | { kind: 'restore'; entry: BackupEntry } | { kind: 'delete'; entry: BackupEntry } | { kind: 'folder'; folder: string };

/**
 * Backups of the connected database: one click to take one (its progress inline), the options
 * behind it, the history with what can be done to each file, restore with its checks, the client
 * tools and the schedule.
 */
export function BackupsScreen() {
  const info = useAppInfoStore((s) => s.info);
  const announcement = useBackupsStore((s) => s.announcement);
  const problem = useBackupsStore((s) => s.problem);
  const folder = useBackupsStore((s) => s.folder);
  // A read-only connection refuses every restore (into a new database too): offered as unavailable, with why.
  const { name, readOnly } = useCurrentConnectionView();
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const { load, refresh, announce, clearMessages } = useBackupsStore.getState();

  useEffect(() => {
    void load();
  }, [load]);

  // Scheduled runs start on their own: when one ends, the schedule's last and next run change.
  useEffect(() => watchScheduledRuns(), []);

  const close = useCallback(() => setDialog({ kind: 'none' }), []);
  // Each dialog starts a new action: what the last one said comes down.
  const openRestore = useCallback(
    (entry: BackupEntry) => {
      if (readOnly) return;
      clearMessages();
      setDialog({ kind: 'restore', entry });
    },
    [clearMessages, readOnly],
  );
  const openDelete = useCallback(
    (entry: BackupEntry) => {
      clearMessages();
      setDialog({ kind: 'delete', entry });
    },
    [clearMessages],
  );

  if (!info) return null;

  function restoreFinished(job: Job): void {
    const result = restoreResultSchema.safeParse(job.result);
    // A safety backup joined the history; a replaced database may have another schema now.
    void refresh(result.success ? result.data.safetyBackup : null);
    if (job.state === 'succeeded') void useAppInfoStore.getState().load();
  }

  return (
    <section className="screen" aria-labelledby="backups-heading">
      <h2 id="backups-heading" className="screen-title">
        Backups
      </h2>
      <p className="screen-subtitle">
        Database <strong>{info.database.name}</strong>
        {/* A saved connection is named too: two profiles may reach databases of the same name. */}
        {info.database.kind !== 'embedded' && (
          <>
            {' '}
            on <ColorTag color={info.database.color} />
            <strong>{info.database.label}</strong>
          </>
        )}{' '}
        <span className="muted">({databaseLabel(info.database)})</span>
      </p>
      <MissedRunNotice />
      <BackupNow />
      {/* Always in the page, so what is put in it is announced. */}
      <div role="status" className="backups-announcement">
        {announcement && (
          <p key={announcement.id} className="announcement">
            {announcement.text}
          </p>
        )}
      </div>
      {problem && <ErrorAlert title={problem.title} message={problem.message} />}
      <BackupHistory
        onRestore={openRestore}
        restoreUnavailableReason={
          readOnly
            ? `${name ? `“${name}”` : 'This connection'} is read-only: Simple DB does not change its data. Backups work; restoring does not.`
            : undefined
        }
        onDelete={openDelete}
        onChangeFolder={() => {
          if (!folder) return;
          clearMessages();
          setDialog({ kind: 'folder', folder });
        }}
      />
      <SchedulePanel />
      <ToolsPanel />
      <AppliedMigrations />

      {dialog.kind === 'restore' && <RestoreDialog key={dialog.entry.name} entry={dialog.entry} onClose={close} onFinished={restoreFinished} />}
      {dialog.kind === 'delete' && (
        <DeleteBackupDialog
          key={dialog.entry.name}
          entry={dialog.entry}
          onCancel={close}
          onStale={() => void refresh()}
          onDeleted={(name) => {
            close();
            toast(`Deleted ${name}.`);
            void refresh();
          }}
        />
      )}
      {dialog.kind === 'folder' && (
        <FolderDialog
          current={dialog.folder}
          onCancel={close}
          onSaved={(saved) => {
            close();
            announce(`Backups now go to ${saved}.`);
            void refresh();
          }}
        />
      )}
    </section>
  );
}
