import { useState } from 'react';
import type { Job } from '../../../shared/contract';
import { useJobsStore } from '../../lib/jobsStore';
import { ProgressBar } from '../../ui/ProgressBar';
import { progressText } from './backupFormat';

interface JobProgressProps {
  /** Undefined until the jobs store has heard of it (just started). */
  job: Job | undefined;
  /** The group's and the bar's accessible name: "Backup progress". */
  label: string;
  /** The Cancel button's name, e.g. "Cancel backup". */
  cancelLabel: string;
  /** What cancelling does, said beside the button ("nothing is changed"). */
  cancelNote?: string;
}

/** A running job inline: what it is doing, how far it is (indeterminate while the total is unknown), and Cancel. */
export function JobProgress({ job, label, cancelLabel, cancelNote }: JobProgressProps) {
  const cancel = useJobsStore((s) => s.cancel);
  const cancelError = useJobsStore((s) => (job ? s.cancelErrors[job.id] : undefined));
  const [cancelling, setCancelling] = useState(false);

  return (
    <div className="job-inline" role="group" aria-label={label}>
      <p className="job-inline-phase">{job ? progressText(job) : 'Starting…'}</p>
      <ProgressBar label={label} done={job?.progress?.done ?? 0} total={job?.progress?.total ?? null} />
      <div className="job-inline-actions">
        <button
          type="button"
          className="button button-small"
          aria-disabled={!job || cancelling || undefined}
          onClick={() => {
            if (!job || cancelling) return;
            setCancelling(true);
            void cancel(job.id).finally(() => setCancelling(false));
          }}
        >
          {cancelling ? 'Cancelling…' : cancelLabel}
        </button>
        {cancelNote && <span className="muted">{cancelNote}</span>}
      </div>
      {cancelError && (
        <p role="alert" className="error-text job-inline-error">
          Could not cancel: {cancelError.message}
        </p>
      )}
    </div>
  );
}
