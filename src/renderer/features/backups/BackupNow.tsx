import { useState } from 'react';
import { useJobsStore } from '../../lib/jobsStore';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { optionsSummary } from './backupFormat';
import { BackupOptionsPanel } from './BackupOptionsPanel';
import { useBackupsStore } from './backupsStore';
import { JobProgress } from './JobProgress';

/**
 * "Back up now" (one click, the remembered options), the "Options" it can be opened into, and the
 * backup this screen started: its progress while it runs, its error if it failed.
 */
export function BackupNow() {
  const [optionsOpen, setOptionsOpen] = useState(false);
  const options = useBackupsStore((s) => s.options);
  const starting = useBackupsStore((s) => s.starting);
  const running = useBackupsStore((s) => s.backupRunning);
  const startError = useBackupsStore((s) => s.startError);
  const jobId = useBackupsStore((s) => s.backupJobId);
  const backUp = useBackupsStore((s) => s.backUp);
  const job = useJobsStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const busy = starting || running;

  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="button button-primary"
          aria-disabled={busy || undefined}
          onClick={() => {
            if (!busy) void backUp();
          }}
        >
          Back up now
        </button>
        <button
          type="button"
          className="button"
          aria-expanded={optionsOpen}
          aria-controls={optionsOpen ? 'backup-options' : undefined}
          onClick={() => setOptionsOpen((open) => !open)}
        >
          Options
        </button>
        {options && <span className="muted">One click uses: {optionsSummary(options)}</span>}
      </div>
      {optionsOpen && options && <BackupOptionsPanel id="backup-options" initial={options} />}
      {starting && (
        <p role="status" className="muted">
          Starting the backup…
        </p>
      )}
      {running && (!job || job.state === 'running') && <JobProgress job={job} label="Backup progress" cancelLabel="Cancel backup" />}
      {running && job && job.state !== 'running' && <p className="muted">Updating the history…</p>}
      {!busy && job?.state === 'failed' && <ErrorAlert title="The backup failed" message={job.error?.message ?? 'No reason given.'} />}
      {startError && <ErrorAlert title="Could not start the backup" message={startError.message} />}
    </>
  );
}
