import { useEffect, useId, useRef, useState } from 'react';
import type { ChosenFile } from '../../../shared/contract';
import { sizeText } from '../../../shared/size-text';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ProgressBar } from '../../ui/ProgressBar';
import { IS_DESKTOP } from './jobFiles';
import { uploadFile, type Upload } from './upload';

interface ImportFileFieldProps {
  file: ChosenFile | null;
  onChosen: (file: ChosenFile | null) => void;
  /** While a file is being sent (browser mode): the dialog keeps its other buttons back. */
  onUploading: (uploading: boolean) => void;
}

/** "report.csv (12.4 MB)" */
function fileText(file: ChosenFile): string {
  return file.size === null ? file.name : `${file.name} (${sizeText(file.size)})`;
}

/**
 * The file to import: the system's open dialog on the desktop; in browser mode a file input whose
 * file is sent to Simple DB at once (with its progress), so Start import has a file to read.
 */
export function ImportFileField({ file, onChosen, onUploading }: ImportFileFieldProps) {
  const inputId = useId();
  const [sent, setSent] = useState<{ name: string; done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useRef<Upload | null>(null);

  // A dialog closed mid-upload stops sending.
  useEffect(() => () => upload.current?.abort(), []);

  async function chooseOnDesktop(): Promise<void> {
    setError(null);
    try {
      const chosen = await api.transfer.chooseSource({});
      // Cancelling the open dialog keeps the file chosen before, if any.
      if (chosen) onChosen(chosen);
    } catch (caught) {
      setError(`Could not open the file: ${toApiError(caught).message}`);
    }
  }

  async function send(picked: File): Promise<void> {
    // A second file picked while the first is still going out replaces it: the first stops sending
    // (its `done` answers CANCELLED, and is no longer the current upload, so it says nothing).
    upload.current?.abort();
    upload.current = null;
    setError(null);
    onChosen(null);
    setSent({ name: picked.name, done: 0, total: picked.size });
    onUploading(true);
    const current = uploadFile(picked, (done, total) => setSent({ name: picked.name, done, total }));
    upload.current = current;
    const result = await current.done;
    if (upload.current !== current) return;
    upload.current = null;
    setSent(null);
    onUploading(false);
    if (result.ok) onChosen(result.data);
    else if (result.error.code !== 'CANCELLED') setError(`Could not send ${picked.name} to Simple DB: ${result.error.message}`);
  }

  return (
    <div className="transfer-file">
      {IS_DESKTOP ? (
        <div className="transfer-file-row">
          <button type="button" className="button" onClick={() => void chooseOnDesktop()}>
            {file ? 'Choose another file…' : 'Choose file…'}
          </button>
          <span role="status">{file ? fileText(file) : 'No file chosen.'}</span>
        </div>
      ) : (
        <>
          <label htmlFor={inputId} className="field-label">
            CSV file
          </label>
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            className="input"
            onChange={(event) => {
              const picked = event.target.files?.[0];
              if (picked) void send(picked);
            }}
          />
          {sent && (
            <div className="job-inline" role="group" aria-label="Upload progress">
              <p className="job-inline-phase">
                Sending {sent.name} · {sizeText(sent.done)} of {sizeText(sent.total)}
              </p>
              <ProgressBar label="Upload progress" done={sent.done} total={sent.total} />
              <div className="job-inline-actions">
                <button type="button" className="button button-small" onClick={() => upload.current?.abort()}>
                  Cancel upload
                </button>
              </div>
            </div>
          )}
          {file && !sent && (
            <p role="status" className="muted">
              Ready: {fileText(file)}
            </p>
          )}
        </>
      )}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </div>
  );
}
