import { useEffect, useRef } from 'react';
import type { ExportResult, Job } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { useJobsStore } from '../../lib/jobsStore';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { JobProgress } from '../backups/JobProgress';
import { IS_DESKTOP } from './jobFiles';
import { exportedText, type TransferTable } from './transferText';

/** Where an export stands, as its dialog shows it. */
export type ExportStep =
  | { kind: 'starting' }
  | { kind: 'running'; jobId: string }
  | { kind: 'done'; jobId: string; result: ExportResult; fileError: ApiError | null }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: ApiError };

interface ExportDialogProps {
  table: TransferTable;
  /** "Export 1,204 matching users as CSV": what is being exported. */
  what: string;
  step: ExportStep;
  /** Shows the file in its folder (desktop) or downloads it again (browser mode). */
  onOpenFile: () => void;
  onClose: () => void;
}

/** An export under way (rows done of the estimate, Cancel), then how it ended. */
export function ExportDialog({ table, what, step, onOpenFile, onClose }: ExportDialogProps) {
  const running = step.kind === 'starting' || step.kind === 'running';
  const job: Job | undefined = useJobsStore((s) => (step.kind === 'running' ? s.jobs[step.jobId] : undefined));
  const closeRef = useRef<HTMLButtonElement>(null);
  // The Cancel button that had focus is gone once the export ends: focus goes to Close.
  useEffect(() => {
    if (!running) closeRef.current?.focus();
  }, [running]);
  return (
    <Modal title={`Export ${table}`} onDismiss={onClose} busy={running}>
      <div className="modal-body transfer-dialog">
        <p className="modal-lead">{what}, in the list’s order.</p>
        {running && <JobProgress job={job} label="Export progress" cancelLabel="Cancel export" cancelNote="Cancelling leaves no file behind." />}
        {step.kind === 'done' && (
          <>
            <p role="status" className="transfer-done">
              {exportedText(table, step.result)}
            </p>
            {!IS_DESKTOP && <p className="muted">The download has started; your browser keeps it with its other downloads.</p>}
            {step.fileError && <ErrorAlert message={`Could not ${IS_DESKTOP ? 'show' : 'download'} the file: ${step.fileError.message}`} />}
          </>
        )}
        {step.kind === 'cancelled' && (
          <p role="status" className="muted">
            Cancelled: no file was written.
          </p>
        )}
        {step.kind === 'failed' && <ErrorAlert title="The export failed" message={`No file was written. ${step.error.message}`} />}
      </div>
      {!running && (
        <div className="modal-actions">
          {step.kind === 'done' && (
            <button type="button" className="button" onClick={onOpenFile}>
              {IS_DESKTOP ? 'Show in folder' : 'Download again'}
            </button>
          )}
          <button ref={closeRef} type="button" className="button button-primary" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </Modal>
  );
}
