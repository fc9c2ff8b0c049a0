import { useEffect, useRef, useState } from 'react';
import type { ChosenFile, ImportMode, ImportReport, JobStarted } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { JobProgress } from '../backups/JobProgress';
import { ImportFileField } from './ImportFileField';
import { ImportModeField } from './ImportModeField';
import { ImportReportView } from './ImportReportView';
import { followJob } from '../../lib/followJob';
import { importOutcome } from './transferJobs';
import { EXPECTED_COLUMNS, type TransferTable } from './transferText';

interface ImportDialogProps {
  table: TransferTable;
  /** Starts `users.import` / `products.import` of the chosen file. */
  start: (source: string, mode: ImportMode) => Promise<JobStarted>;
  /** Rows were written: the list behind is stale. */
  onImported: (report: ImportReport) => void;
  onClose: () => void;
}

type Step =
  | { kind: 'choosing' }
  | { kind: 'starting' }
  | { kind: 'running'; jobId: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'reported'; jobId: string; report: ImportReport; mode: ImportMode };

/** Import from CSV: choose a file and a mode, follow the job (Cancel imports nothing), then its report. */
export function ImportDialog({ table, start, onImported, onClose }: ImportDialogProps) {
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [mode, setMode] = useState<ImportMode>('reject');
  const [uploading, setUploading] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'choosing' });
  const job = useJobsStore((s) => (step.kind === 'running' ? s.jobs[step.jobId] : undefined));
  const mounted = useRef(true);
  const callbacks = useRef({ onImported });
  useEffect(() => {
    callbacks.current = { onImported };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  async function run(source: ChosenFile, chosenMode: ImportMode): Promise<void> {
    setMode(chosenMode);
    setStep({ kind: 'starting' });
    let started: JobStarted;
    try {
      started = await start(source.handle, chosenMode);
    } catch (error) {
      if (mounted.current) setStep({ kind: 'failed', error: toApiError(error) });
      return;
    }
    const { jobId } = started;
    if (mounted.current) setStep({ kind: 'running', jobId });
    const outcome = importOutcome(await followJob(jobId));
    // The list behind is stale whether or not this dialog is still open.
    if (outcome.kind === 'succeeded' && outcome.result.inserted + outcome.result.updated > 0) callbacks.current.onImported(outcome.result);
    if (!mounted.current) return;
    setStep(outcome.kind === 'succeeded' ? { kind: 'reported', jobId, report: outcome.result, mode: chosenMode } : outcome);
  }

  const running = step.kind === 'starting' || step.kind === 'running';
  const busy = running || uploading;
  const closeRef = useRef<HTMLButtonElement>(null);
  // The Cancel button that had focus is gone once the import ends: focus goes to Close.
  const ended = step.kind === 'cancelled' || step.kind === 'failed' || step.kind === 'reported';
  useEffect(() => {
    if (ended) closeRef.current?.focus();
  }, [ended]);

  return (
    <Modal title={`Import ${table}`} onDismiss={onClose} busy={busy}>
      <div className="modal-body transfer-dialog">
        {step.kind === 'choosing' && (
          <>
            <p className="modal-lead">{EXPECTED_COLUMNS[table]} UTF-8, one row per line, quoted the usual CSV way.</p>
            <ImportFileField file={file} onChosen={setFile} onUploading={setUploading} />
            <ImportModeField table={table} mode={mode} onChange={setMode} />
          </>
        )}
        {running && <JobProgress job={job} label="Import progress" cancelLabel="Cancel import" cancelNote="Cancelling imports nothing." />}
        {step.kind === 'cancelled' && (
          <p role="status" className="transfer-done">
            Cancelled: nothing was imported.
          </p>
        )}
        {step.kind === 'failed' && <ErrorAlert title="The import failed" message={`Nothing was imported. ${step.error.message}`} />}
        {step.kind === 'reported' && file && (
          <ImportReportView
            table={table}
            report={step.report}
            mode={step.mode}
            jobId={step.jobId}
            sourceName={file.name}
            onSkipBadLines={step.mode === 'reject' ? () => void run(file, 'skip') : undefined}
          />
        )}
      </div>
      {step.kind === 'choosing' ? (
        <ModalActions
          busy={uploading}
          onCancel={onClose}
          action={{
            label: 'Start import',
            tone: 'primary',
            unavailable: file === null,
            onClick: () => {
              if (file) void run(file, mode);
            },
          }}
        />
      ) : (
        !running && (
          <div className="modal-actions">
            {step.kind !== 'reported' && (
              <button type="button" className="button" onClick={() => setStep({ kind: 'choosing' })}>
                Back
              </button>
            )}
            <button ref={closeRef} type="button" className="button button-primary" onClick={onClose}>
              Close
            </button>
          </div>
        )
      )}
    </Modal>
  );
}
