import type { ImportReport } from '../../src/shared/contract';

/** An import's report: nothing read, written or wrong, but for what `changes` says. */
export const importReport = (changes: Partial<ImportReport> = {}): ImportReport => ({
  rows: 0,
  inserted: 0,
  updated: 0,
  skipped: 0,
  badLines: 0,
  unreadFrom: null,
  rejected: false,
  problems: [],
  problemCount: 0,
  ...changes,
});
