import fs from 'node:fs/promises';
import type { ImportReport } from '../../shared/contract';

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * One CSV field as RFC 4180 has it: quoted when it holds a comma, a quote or a line break, quotes
 * doubled; null is the empty field (which COPY … CSV reads as NULL, so the import's staging rows
 * use it too).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * An import's bad lines as CSV an admin can open beside the file and fix it: `line,column,value,reason`,
 * one row per listed problem (CRLF line ends, as RFC 4180 and spreadsheets expect). When the
 * report lists fewer than it counted, a last row says how many more there were.
 */
export function reportCsv(report: ImportReport): string {
  const rows = [['line', 'column', 'value', 'reason'].join(',')];
  for (const problem of report.problems) {
    rows.push([problem.line, problem.column, inert(problem.value), problem.reason].map(csvField).join(','));
  }
  const unlisted = report.problemCount - report.problems.length;
  if (unlisted > 0) {
    const note = `…and ${numberFormat.format(unlisted)} more ${unlisted === 1 ? 'problem' : 'problems'} not listed: the report lists the first ${numberFormat.format(report.problems.length)}. Fix these and import again to see the rest.`;
    rows.push(['', '', '', csvField(note)].join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * A value from the admin's file as a spreadsheet must show it, not run it: one that starts like a
 * formula (=, +, -, @) gets a leading apostrophe. Only in the report, which is opened to be read.
 */
function inert(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Writes the report (0600: it holds values from the admin's data). */
export async function writeReportCsv(report: ImportReport, file: string): Promise<void> {
  await fs.writeFile(file, reportCsv(report), { mode: 0o600 });
}
