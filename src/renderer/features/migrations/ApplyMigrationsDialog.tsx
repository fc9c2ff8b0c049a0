import { useRef, useState } from 'react';
import type { Job } from '../../../shared/contract';
import { api } from '../../lib/api';
import { connectionGeneration, stillOn } from '../../lib/currentConnection';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { useJobsStore } from '../../lib/jobsStore';
import { ProgressBar } from '../../ui/ProgressBar';
import { toApiError } from '../../lib/toApiError';
import { toast } from '../../lib/toastStore';
import { countOf } from '../../lib/format/count';
import { whenJobEnds } from '../../lib/whenJobEnds';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { followBackupJob } from '../backups/backupJobs';
import { JobProgress } from '../backups/JobProgress';
import { IndexPlans } from './IndexPlans';
import { isMissingIndexes } from './planFormat';
import { useMigrationStatus } from './useMigrationStatus';

interface ApplyMigrationsDialogProps {
  pending: readonly string[];
  /** Indexes of applied migrations that are missing and can be built now (migrations.status `missingIndexes`): built by the same apply. */
  missingIndexes?: readonly string[];
  /** `host:port/db`, so the admin sees which server is about to change. */
  target: string;
  /** Whether "back up first" starts ticked: yes for a database the admin brought (DATABASE_URL), when a migration is pending. */
  backupByDefault: boolean;
  /** `notice`: what was done, for a toast ("Applied 3 migrations.", "Built 2 missing indexes."). */
  onApplied: (notice: string) => void;
  onCancel: () => void;
}

/** What an apply that did not succeed left behind, and what to do next. */
function unfinishedText(job: Job): string {
  const after =
    'The migration it was working on was not recorded, and any half-built index was removed; migrations finished before it stay applied. Apply again to retry: indexes already built are kept.';
  if (job.state === 'cancelled') {
    // A cancel that left something else to say (while waiting for another migrator, while dropping a leftover) says it as the job's last step.
    const said = job.progress?.phase === 'Cancelled' ? job.progress.message : undefined;
    return said ? `${said} Migrations finished before it stay applied; apply again to retry.` : `Applying was cancelled. ${after}`;
  }
  return `Applying failed: ${job.error?.message ?? 'no reason given'} ${after}`;
}

/** "Apply 3 pending migrations", "Build 2 missing indexes", or both. */
function question(pending: number, missing: number): string {
  if (pending > 0 && missing > 0)
    return `Apply ${countOf(pending, 'pending migration')} and build ${countOf(missing, 'missing index', 'missing indexes')}`;
  if (missing > 0) return `Build ${countOf(missing, 'missing index', 'missing indexes')}`;
  return `Apply ${countOf(pending, 'pending migration')}`;
}

/**
 * The confirm step before changing a schema: it names the target, lists the indexes each pending
 * migration will build (purpose, rough size and time, whether the table keeps serving) and, ticked
 * by default for a database the admin brought, takes a backup first; the migrations are applied
 * only if it verified. Applying is a job: its progress shows here, with Cancel.
 */
export function ApplyMigrationsDialog({ pending, missingIndexes = [], target, backupByDefault, onApplied, onCancel }: ApplyMigrationsDialogProps) {
  const [applying, setApplying] = useState(false);
  // Building indexes changes no data: a backup first is offered, not proposed, when that is all there is to do.
  const [backupFirst, setBackupFirst] = useState(backupByDefault && pending.length > 0);
  const [backupJobId, setBackupJobId] = useState<string | null>(null);
  const backupJob = useJobsStore((s) => (backupJobId ? s.jobs[backupJobId] : undefined));
  const [applyJobId, setApplyJobId] = useState<string | null>(null);
  const applyJob = useJobsStore((s) => (applyJobId ? s.jobs[applyJobId] : undefined));
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The plans are read when the dialog opens: the tables may have grown since the panel was read.
  const { state: status, error: statusError } = useMigrationStatus();
  const plans = status?.plans?.filter((plan) => (isMissingIndexes(plan) ? missingIndexes.length > 0 : pending.includes(plan.name))) ?? [];

  async function apply(): Promise<void> {
    if (applying) return;
    // The window may show another database by the time the job ends: its banner and app info are
    // not the ones this apply changed, and a bare "Applied 3 migrations" would read as about it.
    const generation = connectionGeneration();
    setApplying(true);
    setError(null);
    setApplyJobId(null);
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
      const { jobId } = await api.migrations.up();
      setApplyJobId(jobId);
      // Listed at once, without the jobs store's own ending toast: the owner says "Applied …".
      try {
        useJobsStore.getState().apply({ type: 'job.progress', job: await api.jobs.get({ id: jobId }) });
      } catch {
        // Its events will list it.
      }
      const job = await whenJobEnds(jobId);
      if (job.state === 'succeeded') {
        // With indexes to build too, the job's summary says both ("Applied 1 migration; … Built 2 missing indexes.").
        const notice =
          missingIndexes.length > 0 && job.summary
            ? job.summary
            : pending.length === 0
              ? `Built ${countOf(missingIndexes.length, 'missing index', 'missing indexes')}.`
              : `Applied ${countOf(pending.length, 'migration')}.`;
        if (stillOn(generation)) onApplied(notice);
        else toast(`On ${target}: ${notice}`);
        return;
      }
      if (!stillOn(generation)) {
        toast(`On ${target}: ${unfinishedText(job)}`, 'error');
        return;
      }
      setApplying(false);
      setError(unfinishedText(job));
      // Migrations finished before the cut are applied: the banner and the panel show what is left.
      void useAppInfoStore.getState().load();
    } catch (caught) {
      setApplying(false);
      setError(toApiError(caught).message);
    }
  }

  // From the moment the job is started until it ends (a successful end closes the dialog).
  const following = applying && applyJobId !== null;

  return (
    <Modal title="Apply migrations" onDismiss={onCancel} busy={applying} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>
          {question(pending.length, missingIndexes.length)} {missingIndexes.length > 0 && pending.length === 0 ? 'on' : 'to'}{' '}
          <strong>{target}</strong>?
        </p>
        {plans.length > 0 && <IndexPlans plans={plans} />}
        {statusError && <p className="muted">Could not read which indexes the migrations build: {statusError.message}</p>}
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
        {following && (
          <JobProgress
            job={applyJob}
            label="Migration progress"
            cancelLabel="Cancel applying"
            cancelNote="A migration cut short is not recorded; a half-built index is removed."
          />
        )}
        {applying && backupJob?.state !== 'running' && !following && (
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
