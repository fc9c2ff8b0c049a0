import { useState } from 'react';
import type { ImportReport } from '../../../shared/contract';
import { countOf } from '../../lib/format/count';
import { toApiError } from '../../lib/toApiError';
import { ImportProblemsTable } from './ImportProblemsTable';
import { IS_DESKTOP, openJobFile } from './jobFiles';
import { importCountsText, problemsShownText, type TransferTable } from './transferText';

interface ImportReportViewProps {
  table: TransferTable;
  report: ImportReport;
  jobId: string;
  /** The imported file's name, for the report's download name. */
  sourceName: string;
  /** Offered when the file was rejected: the same file again, keeping the good lines. */
  onSkipBadLines?: () => void;
}

/** "import.csv" → "import-problems.csv" */
function reportName(sourceName: string): string {
  return `${sourceName.replace(/\.csv$/i, '')}-problems.csv`;
}

/** How an import went: what was written, and every bad line the report lists, with a way to keep the report. */
export function ImportReportView({ table, report, jobId, sourceName, onSkipBadLines }: ImportReportViewProps) {
  const [fileError, setFileError] = useState<string | null>(null);
  const shown = problemsShownText(report);
  return (
    <div className="transfer-report">
      {report.rejected ? (
        <div role="status">
          <p className="transfer-done">Nothing was imported.</p>
          <p>
            {importCountsText(table, report)} In “Reject the whole file” mode one bad line keeps the whole file out. Fix the lines below and import
            again, or import the good lines only.
          </p>
        </div>
      ) : (
        <p role="status" className="transfer-done">
          {importCountsText(table, report)}
        </p>
      )}
      {report.rejected && onSkipBadLines && (
        <div>
          <button type="button" className="button button-primary" onClick={onSkipBadLines}>
            Import again, skipping bad lines
          </button>
        </div>
      )}
      {report.problemCount > 0 && (
        <>
          <h3 className="restore-section-title">{countOf(report.problemCount, 'problem')}</h3>
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
