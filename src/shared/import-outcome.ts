import type { ImportMode, ImportReport } from './contract/transfer';

/**
 * One wording of how a CSV import went, for the window's report, the job's summary and the
 * terminal. Counts are in bad lines (`badLines`), never problems: a line with a bad email and an
 * empty name is one bad line with two problems, and the problems are counted apart
 * (`problemsText`).
 */

const grouped = new Intl.NumberFormat('en-US');
const count = (n: number, one: string, many = `${one}s`) => `${grouped.format(n)} ${n === 1 ? one : many}`;

const NOUN = { users: { one: 'user', many: 'users' }, products: { one: 'product', many: 'products' } } as const;

/** Where the outcome is said: the advice names the window's choice or the terminal's option. */
export type OutcomeAudience = 'window' | 'terminal';

export interface ImportOutcome {
  /**
   * - imported: rows were written (some bad lines may have been skipped);
   * - empty: the file has a header and no rows;
   * - rejected: bad lines and a mode that writes nothing when a line is bad (reject, update);
   * - unreadable: a quote out of place stopped the reading; nothing written, whatever the mode;
   * - all-bad: skip mode, and every line was bad.
   */
  kind: 'imported' | 'empty' | 'rejected' | 'unreadable' | 'all-bad';
  /** The outcome in a sentence: "Imported 998 users; 2 bad lines skipped." */
  summary: string;
  /** What to do next, when there is something to do. */
  advice: string | null;
  /** Nothing was written although the file had rows: the terminal exits 2. */
  nothingWritten: boolean;
}

export interface OutcomeOptions {
  table: 'users' | 'products';
  /** The mode the import ran in. */
  mode: ImportMode;
  audience: OutcomeAudience;
}

export function importOutcome(report: ImportReport, { table, mode, audience }: OutcomeOptions): ImportOutcome {
  const noun = NOUN[table];
  const badLines = count(report.badLines, 'bad line');
  const skipOption = audience === 'window' ? 'choose Skip bad lines' : 'import with --mode skip';

  if (report.unreadFrom !== null) {
    return {
      kind: 'unreadable',
      summary: `Nothing was imported: line ${grouped.format(report.unreadFrom)} could not be read (a quote out of place), so the rest of the file was not read.`,
      // Skipping cannot get past it: nothing after that line was read.
      advice: 'Fix that line and import again.',
      nothingWritten: true,
    };
  }

  if (report.rejected) {
    const why = mode === 'skip' ? '' : ` (${mode} mode writes nothing when a line is bad)`;
    const advice =
      audience === 'window'
        ? mode === 'update'
          ? `Fix the lines, or ${skipOption} to import the good ones.`
          : 'Fix the lines below and import again, or import the good lines only.'
        : `Fix them, or ${skipOption} to leave them out.`;
    return { kind: 'rejected', summary: `Nothing was imported: ${badLines}${why}.`, advice, nothingWritten: true };
  }

  if (report.rows === 0) {
    return { kind: 'empty', summary: 'Nothing was imported: the file has a header but no rows.', advice: null, nothingWritten: false };
  }

  if (report.inserted + report.updated === 0) {
    const read = `Read ${count(report.rows, 'line')}`;
    const summary =
      report.rows === 1
        ? `${read}: it was bad, so nothing was imported.`
        : report.badLines >= report.rows
          ? `${read}: all ${grouped.format(report.rows)} were bad, so nothing was imported.`
          : `${read}: ${badLines} and nothing else to write, so nothing was imported.`;
    return { kind: 'all-bad', summary, advice: 'Fix the lines and import again.', nothingWritten: true };
  }

  const written = !report.updated
    ? `Imported ${count(report.inserted, noun.one, noun.many)}`
    : report.inserted
      ? `Imported ${count(report.inserted, noun.one, noun.many)} and updated ${grouped.format(report.updated)}`
      : `Updated ${count(report.updated, noun.one, noun.many)}`;
  const summary = report.badLines > 0 ? `${written}; ${badLines} skipped.` : `${written}.`;
  return { kind: 'imported', summary, advice: null, nothingWritten: false };
}

/** "12 problems on 10 lines", "1 problem": the problems a report lists, apart from its bad lines. */
export function problemsText(report: ImportReport): string {
  const problems = count(report.problemCount, 'problem');
  return report.badLines > 0 && report.badLines !== report.problemCount ? `${problems} on ${count(report.badLines, 'line')}` : problems;
}

/** "Showing the first 1,000 of 4,512 problems." when the report lists fewer than it counted. */
export function problemsShownText(report: ImportReport): string | null {
  if (report.problems.length >= report.problemCount) return null;
  return `Showing the first ${grouped.format(report.problems.length)} of ${grouped.format(report.problemCount)} problems.`;
}
