import { useState } from 'react';
import type { ImportMode, ImportReport, JobStarted } from '../../../shared/contract';
import { GuardedButton } from '../../ui/GuardedButton';
import { ImportDialog } from './ImportDialog';
import type { TransferTable } from './transferText';

interface ImportButtonProps {
  table: TransferTable;
  start: (source: string, mode: ImportMode) => Promise<JobStarted>;
  onImported: (report: ImportReport) => void;
  /** Set on a read-only connection: the button does nothing, described by the note this id names. */
  readOnlyReasonId?: string | undefined;
}

/** "Import CSV…" and its dialog; unavailable (with the reason on screen) where nothing may be written. */
export function ImportButton({ table, start, onImported, readOnlyReasonId }: ImportButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <GuardedButton className="button" unavailableReasonId={readOnlyReasonId} onClick={() => setOpen(true)}>
        Import CSV…
      </GuardedButton>
      {open && <ImportDialog table={table} start={start} onImported={onImported} onClose={() => setOpen(false)} />}
    </>
  );
}
