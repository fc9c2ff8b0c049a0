import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BackupEntry, Job, Preflight, ProcedureInput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { useJobsStore } from '../../lib/jobsStore';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { CommandLine } from './CommandLine';
import { JobProgress } from './JobProgress';
import { RestoreFileDetails, RestoreProblems, RestoreReplacedDetails, RestoreSessions } from './RestorePreflightDetails';
import { RestoreOutcome } from './RestoreOutcome';
import { useBackupsStore } from './backupsStore';
import { INITIAL_CHOICES, newDatabaseError, outstandingBlockers, preflightRequest, type RestoreChoices, type RestoreMode } from './restoreRules';
import { whenJobEnds } from '../../lib/whenJobEnds';

/** Typing a new database name pauses this long before the target is checked again. */
const PREFLIGHT_DEBOUNCE_MS = 300;

interface RestoreDialogProps {
  entry: BackupEntry;
  onClose: () => void;
  /** The restore ended (however): the history (a safety backup) and what the app knows of the database are stale. */
  onFinished: (job: Job) => void;
}

type PreflightInput = ProcedureInput<'backups.preflight'>;

/**
 * Restoring overwrites a database, so nothing runs until the admin has seen what the file holds,
 * what will be dropped, who else is connected and every problem found in advance, and has typed
 * the database's name. Then the restore is a job: its progress, Cancel, and how it ended.
 */
export function RestoreDialog({ entry, onClose, onFinished }: RestoreDialogProps) {
  const connected = useAppInfoStore((s) => s.info?.database.name ?? '');
  const [choices, setChoices] = useState<RestoreChoices>(INITIAL_CHOICES);
  const [confirm, setConfirm] = useState('');
  const [preflight, setPreflight] = useState<{ key: string; mode: RestoreMode; data: Preflight } | null>(null);
  const [preflightError, setPreflightError] = useState<{ key: string; error: ApiError } | null>(null);
  const [retries, setRetries] = useState(0);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [ended, setEnded] = useState<Job | null>(null);
  const job = useJobsStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const firstCheck = useRef(true);
  const progressRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  });

  const request = preflightRequest(entry.name, choices);
  // The request as text: the check runs again when it changes (target, ownership options), not on every render.
  const key = request ? JSON.stringify(request) : null;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const delay = firstCheck.current ? 0 : PREFLIGHT_DEBOUNCE_MS;
    firstCheck.current = false;
    const timer = setTimeout(() => {
      const input = JSON.parse(key) as PreflightInput;
      api.backups
        .preflight(input)
        .then((data) => {
          if (!current) return;
          setPreflight({ key, mode: input.target?.mode ?? 'replace', data });
          setPreflightError(null);
        })
        .catch((error: unknown) => {
          if (current) setPreflightError({ key, error: toApiError(error) });
        });
    }, delay);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, retries]);

  const phase = ended ? 'done' : jobId ? 'running' : 'choose';
  // Focus follows the dialog's phase: the Restore button it was on is gone.
  useEffect(() => {
    if (phase === 'running') progressRef.current?.focus();
    if (phase === 'done') closeRef.current?.focus();
  }, [phase]);

  // A new database needs a name before anything can be checked: no check, no confirmation, no Restore.
  const nameMissing = key === null;
  // What was checked for another target (the other mode) says nothing about this one.
  const data = !nameMissing && preflight?.mode === choices.mode ? preflight.data : null;
  const fresh = data !== null && preflight?.key === key;
  const failedCheck = preflightError && preflightError.key === key ? preflightError.error : null;
  const checking = key !== null && !fresh && !failedCheck;
  const blockers = fresh ? outstandingBlockers(data, choices) : [];
  // A new database's name is what is typed to confirm, from the first letter (the check agrees).
  const database = choices.mode === 'new' ? choices.newDatabase : connected;
  const confirmText = fresh ? data.confirmText : choices.mode === 'new' ? choices.newDatabase : (data?.confirmText ?? connected);
  const confirmed = fresh && confirm === data.confirmText;
  const unavailable = !fresh || blockers.length > 0 || !confirmed || starting;
  const ownershipOffered = data?.problems.some((problem) => problem.fix === 'noOwner' || problem.fix === 'noPrivileges') ?? false;
  const change = (changes: Partial<RestoreChoices>) => setChoices((current) => ({ ...current, ...changes }));

  // Focus starts on Cancel while the check runs, then moves to the confirmation field once it is
  // shown, unless the admin has gone somewhere else meanwhile.
  const confirmShown = data !== null;
  useEffect(() => {
    if (!confirmShown) return;
    const active = document.activeElement;
    if (active === cancelRef.current || active === document.body || active?.tagName === 'DIALOG') confirmRef.current?.focus();
  }, [confirmShown]);

  async function restore(event?: FormEvent<HTMLFormElement>): Promise<void> {
    event?.preventDefault();
    if (unavailable || !request) return;
    useBackupsStore.getState().clearMessages();
    setStarting(true);
    setStartError(null);
    setConfirmError(null);
    let started: string;
    try {
      ({ jobId: started } = await api.backups.restore({
        ...request,
        confirm,
        safetyBackup: choices.mode === 'replace' && choices.safetyBackup,
        terminateSessions: choices.terminateSessions,
      }));
    } catch (caught) {
      setStarting(false);
      const apiError = toApiError(caught);
      if (apiError.code === 'VALIDATION' && apiError.field === 'confirm') setConfirmError(apiError.message);
      else setStartError(apiError);
      return;
    }
    setStarting(false);
    setJobId(started);
    await useJobsStore.getState().track(started);
    const finished = await whenJobEnds(started);
    setEnded(finished);
    onFinishedRef.current(finished);
  }

  return (
    <Modal title="Restore backup" onDismiss={onClose} busy={starting || phase === 'running'} initialFocusRef={cancelRef}>
      {phase === 'choose' && (
        // A form, so Enter in the confirmation field restores (when Restore is available).
        <form noValidate onSubmit={(event) => void restore(event)}>
          <div className="modal-body restore-dialog">
            {checking && (
              <p role="status" className="muted">
                Checking the backup and the target…
              </p>
            )}
            {failedCheck && (
              <ErrorAlert title="Could not check this restore" message={failedCheck.message} onRetry={() => setRetries((n) => n + 1)} />
            )}
            {preflight && <RestoreFileDetails file={preflight.data.file} />}
            <fieldset className="fieldset">
              <legend className="field-label">Restore into</legend>
              <label className="check">
                <input type="radio" name="restore-target" checked={choices.mode === 'replace'} onChange={() => change({ mode: 'replace' })} />
                Replace the contents of {connected}
              </label>
              <label className="check">
                <input type="radio" name="restore-target" checked={choices.mode === 'new'} onChange={() => change({ mode: 'new' })} />
                Restore into a new database
              </label>
              {choices.mode === 'new' && (
                <TextField
                  name="restore-new-database"
                  label="New database name"
                  value={choices.newDatabase}
                  error={choices.newDatabase === '' ? null : newDatabaseError(choices.newDatabase)}
                  onChange={(newDatabase) => change({ newDatabase })}
                />
              )}
            </fieldset>
            {data && (
              <div className="restore-checked" aria-busy={checking || undefined}>
                <RestoreReplacedDetails target={data.target} mode={choices.mode} database={database} />
                <RestoreSessions
                  target={data.target}
                  terminate={choices.terminateSessions}
                  onTerminateChange={(terminateSessions) => change({ terminateSessions })}
                />
                <RestoreProblems problems={data.problems} choices={choices} />
                {(ownershipOffered || choices.noOwner || choices.noPrivileges) && (
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={choices.noOwner && choices.noPrivileges}
                      onChange={(event) => change({ noOwner: event.target.checked, noPrivileges: event.target.checked })}
                    />
                    Restore without ownership and privileges (--no-owner --no-privileges)
                  </label>
                )}
                {choices.mode === 'replace' && (
                  <>
                    <label className="check">
                      <input type="checkbox" checked={choices.safetyBackup} onChange={(event) => change({ safetyBackup: event.target.checked })} />
                      Take a safety backup of {connected} first
                    </label>
                    {!choices.safetyBackup && (
                      <p className="warning-text">Without a safety backup, what is in {connected} now cannot be brought back after the restore.</p>
                    )}
                  </>
                )}
                {data.commandLine && <CommandLine label="Command line (password hidden)" text={data.commandLine} stale={!fresh} />}
                <TextField
                  name="restore-confirm"
                  label={`Type ${confirmText} to confirm`}
                  value={confirm}
                  error={confirmError}
                  inputRef={confirmRef}
                  onChange={(value) => {
                    setConfirm(value);
                    setConfirmError(null);
                  }}
                />
              </div>
            )}
            {(data || nameMissing) && (
              <p className="muted">
                {whyUnavailable({ nameMissing, nameTyped: choices.newDatabase !== '', fresh, blockers: blockers.length, confirmed, confirmText })}
              </p>
            )}
            {starting && (
              <p role="status" className="muted">
                Starting the restore…
              </p>
            )}
            {startError && <ErrorAlert title="Could not start the restore" message={startError.message} />}
          </div>
          <ModalActions
            busy={starting}
            onCancel={onClose}
            cancelRef={cancelRef}
            action={{ label: 'Restore', tone: 'danger', unavailable, submit: true }}
          />
        </form>
      )}
      {phase === 'running' && (
        <div className="modal-body restore-dialog">
          <div ref={progressRef} tabIndex={-1} className="restore-running">
            <p>
              Restoring <strong>{entry.name}</strong> into <strong>{database}</strong>…
            </p>
            <JobProgress
              job={job}
              label="Restore progress"
              cancelLabel="Cancel restore"
              cancelNote="Cancelling rolls the whole restore back: nothing it changed is kept."
            />
          </div>
        </div>
      )}
      {phase === 'done' && ended && (
        <>
          <div className="modal-body restore-dialog">
            <RestoreOutcome job={ended} name={entry.name} mode={choices.mode} />
          </div>
          <div className="modal-actions">
            <button ref={closeRef} type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}

/** Beside the unavailable Restore button: what is still missing. */
function whyUnavailable({
  nameMissing,
  nameTyped,
  fresh,
  blockers,
  confirmed,
  confirmText,
}: {
  nameMissing: boolean;
  nameTyped: boolean;
  fresh: boolean;
  blockers: number;
  confirmed: boolean;
  confirmText: string;
}): string {
  if (nameMissing) return nameTyped ? 'Restore waits for a valid name for the new database.' : 'Type a name for the new database.';
  if (!fresh) return 'Restore waits for the check to finish.';
  if (blockers > 0) return 'Restore is unavailable until the problems marked “Blocks the restore” are solved.';
  if (!confirmed) return `Restore becomes available when you type ${confirmText} exactly.`;
  return 'Ready to restore.';
}
