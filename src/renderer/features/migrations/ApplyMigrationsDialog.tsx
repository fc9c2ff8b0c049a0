import { useRef, useState } from 'react';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';
import { ProgressBar } from '../../ui/ProgressBar';
import { toApiError } from '../../lib/toApiError';
import { countOf } from '../../lib/format/count';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { followBackupJob } from '../backups/backupJobs';

interface ApplyMigrationsDialogProps {
  pending: readonly string[];
  /** `host:port/db`, so the admin sees which server is about to change. */
  target: string;
  /** Whether "back up first" starts ticked: yes for a database the admin brought (DATABASE_URL). */
  backupByDefault: boolean;
  onApplied: (appliedCount: number) => void;
  onCancel: () => void;
}

/**
 * The confirm step before changing a schema: it names the target and, ticked by default for a
 * database the admin brought, takes a backup first; the migrations are applied only if it verified.
 */
export function ApplyMigrationsDialog({ pending, target, backupByDefault, onApplied, onCancel }: ApplyMigrationsDialogProps) {
  const [applying, setApplying] = useState(false);
  const [backupFirst, setBackupFirst] = useState(backupByDefault);
  const [backupJobId, setBackupJobId] = useState<string | null>(null);
  const backupJob = useJobsStore((s) => (backupJobId ? s.jobs[backupJobId] : undefined));
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function apply(): Promise<void> {
    if (applying) return;
    setApplying(true);
    setError(null);
    try {
      if (backupFirst) {
        const { jobId } = await api.backups.create({ purpose: 'pre-migration' });
        setBackupJobId(jobId);
        // Its toast gives the size as the Backups history does.
        const job = await followBackupJob(jobId);
        if (job.state !== 'succeeded') {
          setApplying(false);
          setError(
            job.state === 'cancelled'
              ? 'The backup was cancelled, so no migration was applied.'
              : `The backup failed, so no migration was applied: ${job.error?.message ?? 'no reason given'}`,
          );
          return;
        }
      }
      await api.migrations.up();
      onApplied(pending.length);
    } catch (caught) {
      setApplying(false);
      setError(toApiError(caught).message);
    }
  }

  return (
    <Modal title="Apply migrations" onDismiss={onCancel} busy={applying} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          Apply {countOf(pending.length, 'pending migration')} to <strong>{target}</strong>?
        </p>
        <label className="check">
          <input type="checkbox" checked={backupFirst} disabled={applying} onChange={(event) => setBackupFirst(event.target.checked)} />
          Back up the database first (recommended for production data; listed under Backups, linked to these migrations)
        </label>
        {backupJob?.state === 'running' && (
          <div role="status" className="muted">
            <p>Backing up first: {backupJob.progress?.phase ?? 'starting'}…</p>
            <ProgressBar label="Backup before migrating" done={backupJob.progress?.done ?? 0} total={backupJob.progress?.total ?? null} />
          </div>
        )}
        {applying && backupJob?.state !== 'running' && (
          <p role="status" className="muted">
            Applying migrations…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={applying}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Apply', tone: 'primary', onClick: () => void apply() }}
      />
    </Modal>
  );
}
