import { useState } from 'react';
import type { ImportMode, ImportReport } from '../../../shared/contract';
import { importOutcome, problemsShownText, problemsText } from '../../../shared/import-outcome';
import { toApiError } from '../../lib/toApiError';
import { ImportProblemsTable } from './ImportProblemsTable';
import { IS_DESKTOP, openJobFile } from './jobFiles';
import type { TransferTable } from './transferText';

interface ImportReportViewProps {
  table: TransferTable;
  report: ImportReport;
  /** The mode the import ran in. */
  mode: ImportMode;
  jobId: string;
  /** The imported file's name, for the report's download name. */
  sourceName: string;
  /**
   * Offered when reject mode refused the file: the same file again, keeping the good lines. Never
   * after a quote out of place: skipping cannot read past it.
   */
  onSkipBadLines?: () => void;
}

/** "import.csv" → "import-problems.csv" */
function reportName(sourceName: string): string {
  return `${sourceName.replace(/\.csv$/i, '')}-problems.csv`;
}

/** How an import went: what was written, and every bad line the report lists, with a way to keep the report. */
export function ImportReportView({ table, report, mode, jobId, sourceName, onSkipBadLines }: ImportReportViewProps) {
  const [fileError, setFileError] = useState<string | null>(null);
  const outcome = importOutcome(report, { table, mode, audience: 'window' });
  const shown = problemsShownText(report);
  return (
    <div className="transfer-report">
      <div role="status">
        <p className="transfer-done">{outcome.summary}</p>
        {outcome.advice && <p>{outcome.advice}</p>}
      </div>
      {outcome.kind === 'rejected' && mode === 'reject' && onSkipBadLines && (
        <div>
          <button type="button" className="button button-primary" onClick={onSkipBadLines}>
            Import again, skipping bad lines
          </button>
        </div>
      )}
      {report.problemCount > 0 && (
        <>
          <h3 className="restore-section-title">{problemsText(report)}</h3>
          {shown && <p className="muted">{shown}</p>}
          <ImportProblemsTable problems={report.problems} />
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                setFileError(null);
                openJobFile(jobId, 'report', reportName(sourceName)).catch((error: unknown) => setFileError(toApiError(error).message));
              }}
            >
              {IS_DESKTOP ? 'Show report (CSV) in folder' : 'Download report (CSV)'}
            </button>
          </div>
          {fileError && (
            <p role="alert" className="error-text">
              Could not {IS_DESKTOP ? 'show' : 'download'} the report: {fileError}
            </p>
          )}
        </>
      )}
    </div>
  );
}
