import { useId, useState } from 'react';
import type { JobStarted } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { toast } from '../../lib/toastStore';
import { ExportDialog, type ExportStep } from './ExportDialog';
import { IS_DESKTOP, openJobFile } from './jobFiles';
import { followJob } from '../../lib/followJob';
import { exportOutcome } from './transferJobs';
import { suggestedFileName, type TransferTable } from './transferText';

interface ExportButtonProps {
  table: TransferTable;
  /** "Export 1,204 matching users as CSV": the button's description and the dialog's lead. */
  what: string;
  /** Starts `users.export` / `products.export` of the list as shown, to `destination` when chosen. */
  start: (destination: string | undefined) => Promise<JobStarted>;
}

/**
 * "Export CSV": on the desktop the save dialog first (cancelling it does nothing), then the job,
 * its progress and its outcome in a dialog; in browser mode the finished file is downloaded.
 */
export function ExportButton({ table, what, start }: ExportButtonProps) {
  const [step, setStep] = useState<ExportStep | null>(null);
  const [choosing, setChoosing] = useState(false);
  // What the dialog says is being exported: as it was when asked, whatever the list shows since.
  const [asked, setAsked] = useState(what);
  const descriptionId = useId();

  async function run(): Promise<void> {
    setAsked(what);
    let destination: string | undefined;
    if (IS_DESKTOP) {
      setChoosing(true);
      try {
        const chosen = await api.transfer.chooseDestination({ suggestedName: suggestedFileName(table) });
        if (!chosen) return;
        destination = chosen.handle;
      } catch (error) {
        toast(`Could not choose where to save: ${toApiError(error).message}`, 'error');
        return;
      } finally {
        setChoosing(false);
      }
    }
    setStep({ kind: 'starting' });
    let jobId: string;
    try {
      ({ jobId } = await start(destination));
    } catch (error) {
      setStep({ kind: 'failed', error: toApiError(error) });
      return;
    }
    setStep({ kind: 'running', jobId });
    const outcome = exportOutcome(await followJob(jobId));
    if (outcome.kind !== 'succeeded') {
      setStep(outcome);
      return;
    }
    const { result } = outcome;
    let fileError = null;
    // Browser mode: the file is on the server's side until it is downloaded.
    if (!IS_DESKTOP) fileError = await openJobFile(jobId, 'export', result.fileName).then(() => null, toApiError);
    setStep({ kind: 'done', jobId, result, fileError });
  }

  function openAgain(): void {
    if (step?.kind !== 'done') return;
    const { jobId, result } = step;
    void openJobFile(jobId, 'export', result.fileName).then(
      () => setStep({ ...step, fileError: null }),
      (error: unknown) => setStep({ ...step, fileError: toApiError(error) }),
    );
  }

  return (
    <>
      <button
        type="button"
        className="button"
        title={what}
        aria-describedby={descriptionId}
        aria-disabled={choosing || step !== null || undefined}
        onClick={() => {
          if (!choosing && step === null) void run();
        }}
      >
        Export CSV
      </button>
      <span id={descriptionId} hidden>
        {what}
      </span>
      {step && <ExportDialog table={table} what={asked} step={step} onOpenFile={openAgain} onClose={() => setStep(null)} />}
    </>
  );
}
