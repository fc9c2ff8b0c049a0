import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Job } from '../../shared/contract';
import { runningCount, sortJobs, useJobsStore } from '../lib/jobsStore';
import { ProgressBar } from '../ui/ProgressBar';

const numberFormat = new Intl.NumberFormat('en-US');

/** "412 of 1,000 rows", "412 rows", plus the job's line of detail. */
function progressText(job: Job): string {
  const progress = job.progress;
  if (!progress) return 'Starting…';
  const done = numberFormat.format(progress.done);
  const amount = progress.total === null ? `${done} ${progress.unit}` : `${done} of ${numberFormat.format(progress.total)} ${progress.unit}`;
  const parts = [progress.phase, progress.done > 0 || progress.total !== null ? amount : null, progress.message ?? null];
  return parts.filter((part): part is string => Boolean(part)).join(' · ');
}

/** What happened, in words: its summary, "Cancelled", or the error message. */
function outcomeText(job: Job): string {
  if (job.state === 'succeeded') return job.summary ?? 'Done.';
  if (job.state === 'cancelled') return 'Cancelled';
  return `Failed: ${job.error?.message ?? 'no reason given'}`;
}

/**
 * The jobs button (in the sidebar, so it is there on every screen) and the panel it opens:
 * running jobs with their progress and a Cancel each, finished ones with what happened.
 */
export function JobsIndicator() {
  const jobs = useJobsStore((s) => s.jobs);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const running = runningCount(jobs);

  return (
    <div className="jobs">
      <button
        ref={buttonRef}
        type="button"
        className={`button jobs-button${running > 0 ? ' jobs-button-busy' : ''}`}
        aria-expanded={open}
        aria-controls="jobs-panel"
        onClick={() => setOpen((was) => !was)}
      >
        {running > 0 ? `Jobs (${running} running)` : 'Jobs'}
      </button>
      {open && (
        <JobsPanel
          toggleRef={buttonRef}
          onClose={(returnFocus) => {
            setOpen(false);
            if (returnFocus) buttonRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}

interface JobsPanelProps {
  /** The button that opens the panel: a click on it toggles, it is not a click "outside". */
  toggleRef: RefObject<HTMLButtonElement | null>;
  /** `returnFocus`: put focus back on the Jobs button (keyboard closes), not for a click elsewhere. */
  onClose: (returnFocus: boolean) => void;
}

function JobsPanel({ toggleRef, onClose }: JobsPanelProps) {
  const jobs = useJobsStore((s) => s.jobs);
  const panelRef = useRef<HTMLElement>(null);
  const list = sortJobs(jobs);
  // The latest onClose, so the listeners below are added once.
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    panelRef.current?.focus();
    // Escape closes it wherever focus went (a job's Cancel button disappears when it ends), unless
    // something else (a dialog) already handled that Escape; a click outside closes it too.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onCloseRef.current(true);
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !panelRef.current?.contains(target) && !toggleRef.current?.contains(target)) onCloseRef.current(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [toggleRef]);

  return (
    <section id="jobs-panel" ref={panelRef} className="jobs-panel" aria-labelledby="jobs-panel-title" tabIndex={-1}>
      <div className="jobs-panel-header">
        <h2 id="jobs-panel-title" className="jobs-panel-title">
          Jobs
        </h2>
        <button type="button" className="button button-quiet button-small" onClick={() => onClose(true)}>
          Close
        </button>
      </div>
      {list.length === 0 ? (
        <p className="muted">No jobs yet. Long work, such as counting users exactly, shows here while it runs.</p>
      ) : (
        <ul className="jobs-list">
          {list.map((job) => (
            <JobItem key={job.id} job={job} />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobItem({ job }: { job: Job }) {
  const cancel = useJobsStore((s) => s.cancel);
  const cancelError = useJobsStore((s) => s.cancelErrors[job.id]);
  const [cancelling, setCancelling] = useState(false);
  const running = job.state === 'running';

  return (
    <li className={`job job-${job.state}`} aria-label={job.title}>
      <p className="job-title">
        {job.title}
        <span className="job-time">
          {' · '}
          <time dateTime={job.startedAt}>{startedAtText(job.startedAt)}</time>
        </span>
      </p>
      {running ? (
        <>
          <ProgressBar label={`Progress of ${job.title}`} done={job.progress?.done ?? 0} total={job.progress?.total ?? null} />
          <p className="job-detail">{progressText(job)}</p>
          <button
            type="button"
            className="button button-small"
            aria-label={`Cancel ${job.title}`}
            aria-disabled={cancelling || undefined}
            onClick={() => {
              if (cancelling) return;
              setCancelling(true);
              void cancel(job.id).finally(() => setCancelling(false));
            }}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </>
      ) : (
        <p className={job.state === 'failed' ? 'job-detail error-text' : 'job-detail'}>{outcomeText(job)}</p>
      )}
      {cancelError && (
        <p role="alert" className="job-detail error-text">
          Could not cancel: {cancelError.message}
        </p>
      )}
    </li>
  );
}

/** When the job started, in the admin's local time: enough to tell repeated jobs apart. */
function startedAtText(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : `started ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}
