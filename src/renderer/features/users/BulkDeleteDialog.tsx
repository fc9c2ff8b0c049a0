import { useEffect, useRef, useState } from 'react';
import type { UserBulkSelection, UserDeleteManyResult, UserDeletePreview } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { connectionGeneration, stillOn } from '../../lib/currentConnection';
import { countOf } from '../../lib/format/count';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { toast } from '../../lib/toastStore';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { ProgressBar } from '../../ui/ProgressBar';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { deletedText, followBulkDelete, previewQuestion, progressLine, type BulkDeleteOutcome } from './bulkDelete';

interface BulkDeleteDialogProps {
  selection: UserBulkSelection;
  /** For "all matching": the search and filters in words ("users whose email or name contains “ann”"). */
  matchingInWords: string | null;
  onDeleted: (result: UserDeleteManyResult) => void;
  onCancel: () => void;
  /** Nothing was deleted but the list behind may be stale (the selection changed). */
  onStale: () => void;
}

type Step =
  | { kind: 'previewing' }
  | { kind: 'preview'; preview: UserDeletePreview }
  | { kind: 'previewFailed'; error: ApiError }
  | { kind: 'starting'; preview: UserDeletePreview }
  | { kind: 'running'; preview: UserDeletePreview; jobId: string }
  | { kind: 'ended'; preview: UserDeletePreview; outcome: Exclude<BulkDeleteOutcome, { kind: 'deleted' }> };

/**
 * Deleting many users: first asks the server what the selection holds now (users, and products
 * that would lose their owner), then deletes exactly that as a job (cancellable, all or nothing)
 * that refuses if the selection no longer holds the number previewed.
 */
export function BulkDeleteDialog({ selection, matchingInWords, onDeleted, onCancel, onStale }: BulkDeleteDialogProps) {
  const [step, setStep] = useState<Step>({ kind: 'previewing' });
  const [round, setRound] = useState(0);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const mounted = useRef(true);
  const job = useJobsStore((s) => (step.kind === 'running' ? s.jobs[step.jobId] : undefined));
  const cancelJob = useJobsStore((s) => s.cancel);
  const cancelError = useJobsStore((s) => (step.kind === 'running' ? s.cancelErrors[step.jobId] : undefined));
  const [cancelling, setCancelling] = useState(false);
  const { name: connectionName } = useCurrentConnectionView();
  // Callbacks, not inputs: the preview runs once per round, whatever the parent passes.
  const callbacks = useRef({ onDeleted, onStale });
  useEffect(() => {
    callbacks.current = { onDeleted, onStale };
  });

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let current = true;
    api.users
      .deletePreview({ selection })
      .then((preview) => {
        if (current) setStep({ kind: 'preview', preview });
      })
      .catch((error: unknown) => {
        if (current) setStep({ kind: 'previewFailed', error: toApiError(error) });
      });
    return () => {
      current = false;
    };
  }, [selection, round]);

  function reviewAgain(): void {
    setStep({ kind: 'previewing' });
    setRound((was) => was + 1);
  }

  async function confirm(): Promise<void> {
    if (step.kind !== 'preview' || step.preview.users === 0) return;
    const { preview } = step;
    // The window may show another database by the time the job ends: the list, selection and
    // count there are not the ones this delete changed.
    const generation = connectionGeneration();
    const where = connectionName;
    setStep({ kind: 'starting', preview });
    let outcome: BulkDeleteOutcome;
    try {
      const { jobId } = await api.users.deleteMany({ selection, expectedUsers: preview.users });
      if (mounted.current) setStep({ kind: 'running', preview, jobId });
      outcome = await followBulkDelete(jobId);
    } catch (error) {
      const apiError = toApiError(error);
      outcome = apiError.code === 'CONFLICT' ? { kind: 'conflict', message: apiError.message } : { kind: 'failed', error: apiError };
    }
    if (!stillOn(generation)) {
      if (outcome.kind === 'deleted') toast(`${where ? `On “${where}”: ` : 'On the connection shown before: '}${deletedText(outcome.result)}`);
      return;
    }
    if (outcome.kind === 'deleted') {
      callbacks.current.onDeleted(outcome.result);
      return;
    }
    if (outcome.kind === 'conflict') callbacks.current.onStale();
    if (mounted.current) {
      setCancelling(false);
      setStep({ kind: 'ended', preview, outcome });
    }
  }

  const busy = step.kind === 'starting' || step.kind === 'running';
  const preview = 'preview' in step ? step.preview : null;
  const countText = selection.kind === 'ids' ? countOf(selection.ids.length, 'selected user') : null;

  return (
    // Focus starts on Cancel: a stray Enter must not delete.
    <Modal title="Delete users" onDismiss={onCancel} busy={busy} initialFocusRef={cancelRef}>
      <div className="modal-body">
        {matchingInWords && <p>{matchingInWords === 'all users' ? 'Every user in this database.' : `All ${matchingInWords}.`}</p>}
        {step.kind === 'previewing' && (
          <p role="status" className="muted">
            Checking what the selection holds now…
          </p>
        )}
        {step.kind === 'previewFailed' && (
          <ErrorAlert message={`Could not check what would be deleted: ${step.error.message}`} onRetry={reviewAgain} />
        )}
        {preview && preview.users === 0 && <p>None of these users exist any more: there is nothing to delete.</p>}
        {preview && preview.users > 0 && (
          <>
            <p className="bulk-delete-question">
              <strong>{previewQuestion(preview.users, preview.productsUnowned)}</strong>
            </p>
            {countText && selection.kind === 'ids' && preview.users < selection.ids.length && (
              <p className="muted">
                Of the {countText}, {countOf(preview.users, 'still exists', 'still exist')}; the others were deleted elsewhere.
              </p>
            )}
            <p>This cannot be undone. All of them are deleted, or none.</p>
          </>
        )}
        {step.kind === 'starting' && (
          <p role="status" className="muted">
            Starting the delete…
          </p>
        )}
        {step.kind === 'running' && (
          <div className="job-inline" role="group" aria-label="Delete progress">
            <p className="job-inline-phase">{progressLine(job?.progress ?? null)}</p>
            <ProgressBar label="Delete progress" done={job?.progress?.done ?? 0} total={job?.progress?.total ?? null} />
            {cancelError && (
              <p role="alert" className="error-text job-inline-error">
                Could not cancel: {cancelError.message}
              </p>
            )}
          </div>
        )}
        {step.kind === 'ended' && <EndedMessage outcome={step.outcome} />}
      </div>
      {step.kind === 'running' ? (
        <div className="modal-actions">
          <span className="muted">Cancelling deletes nothing.</span>
          <button
            type="button"
            className="button"
            aria-disabled={cancelling || undefined}
            onClick={() => {
              if (cancelling) return;
              setCancelling(true);
              void cancelJob(step.jobId).finally(() => setCancelling(false));
            }}
          >
            {cancelling ? 'Cancelling…' : 'Cancel delete'}
          </button>
        </div>
      ) : step.kind === 'ended' ? (
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
            Close
          </button>
          {step.outcome.kind !== 'cancelled' && (
            <button type="button" className="button button-primary" onClick={reviewAgain}>
              Review again
            </button>
          )}
        </div>
      ) : (
        <ModalActions
          busy={busy}
          onCancel={onCancel}
          cancelRef={cancelRef}
          action={{
            label: preview ? `Delete ${countOf(preview.users, 'user')}` : 'Delete',
            tone: 'danger',
            unavailable: step.kind !== 'preview' || step.preview.users === 0,
            onClick: () => void confirm(),
          }}
        />
      )}
    </Modal>
  );
}

function EndedMessage({ outcome }: { outcome: Exclude<BulkDeleteOutcome, { kind: 'deleted' }> }) {
  if (outcome.kind === 'cancelled') {
    return (
      <p role="status" className="muted">
        Cancelled: nothing was deleted.
      </p>
    );
  }
  if (outcome.kind === 'conflict') {
    // The server's words say what changed (and that nothing was deleted).
    return <ErrorAlert title="The selection changed — review again" message={outcome.message} />;
  }
  return <ErrorAlert title="The delete failed" message={`Nothing was deleted. ${outcome.error.message}`} />;
}
