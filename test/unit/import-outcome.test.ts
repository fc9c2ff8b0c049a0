import { describe, expect, it } from 'vitest';
import type { ImportProblem } from '../../src/shared/contract';
import { importOutcome, problemsShownText, problemsText, type OutcomeOptions } from '../../src/shared/import-outcome';
import { importReport } from '../support/import-report';

const users = (mode: OutcomeOptions['mode'], audience: OutcomeOptions['audience'] = 'window'): OutcomeOptions => ({ table: 'users', mode, audience });

describe('import outcomes', () => {
  it('say what was written, counting bad lines, not problems', () => {
    const skipped = importOutcome(importReport({ rows: 1_000, inserted: 998, skipped: 2, badLines: 2, problemCount: 5 }), users('skip'));
    expect(skipped).toEqual({ kind: 'imported', summary: 'Imported 998 users; 2 bad lines skipped.', advice: null, nothingWritten: false });
    expect(importOutcome(importReport({ rows: 1, inserted: 1 }), users('reject')).summary).toBe('Imported 1 user.');
    expect(importOutcome(importReport({ rows: 2, inserted: 2 }), { table: 'products', mode: 'reject', audience: 'terminal' }).summary).toBe(
      'Imported 2 products.',
    );
    expect(importOutcome(importReport({ rows: 1_234_567, inserted: 1_234_567 }), users('reject')).summary).toBe('Imported 1,234,567 users.');
  });

  it('update mode: what was added and what was updated', () => {
    expect(importOutcome(importReport({ rows: 15, inserted: 10, updated: 5 }), users('update')).summary).toBe('Imported 10 users and updated 5.');
    expect(importOutcome(importReport({ rows: 5, updated: 5 }), users('update')).summary).toBe('Updated 5 users.');
  });

  it('rejected: the bad lines and the mode that wrote nothing, with what to do in the window or the terminal', () => {
    const rejected = importReport({ rows: 13, rejected: true, badLines: 3, problemCount: 4 });
    const window = importOutcome(rejected, users('reject'));
    expect(window).toMatchObject({ kind: 'rejected', nothingWritten: true });
    expect(window.summary).toBe('Nothing was imported: 3 bad lines (reject mode writes nothing when a line is bad).');
    expect(window.advice).toBe('Fix the lines below and import again, or import the good lines only.');
    expect(importOutcome(rejected, users('reject', 'terminal')).advice).toBe('Fix them, or import with --mode skip to leave them out.');

    const update = importOutcome(rejected, users('update'));
    expect(update.summary).toBe('Nothing was imported: 3 bad lines (update mode writes nothing when a line is bad).');
    expect(update.advice).toBe('Fix the lines, or choose Skip bad lines to import the good ones.');
    expect(importOutcome(importReport({ rows: 2, rejected: true, badLines: 1, problemCount: 2 }), users('reject')).summary).toBe(
      'Nothing was imported: 1 bad line (reject mode writes nothing when a line is bad).',
    );
  });

  it('a quote out of place: the line, in every mode, and never a mode to blame or a skip to try', () => {
    const unread = importReport({ rows: 5, rejected: true, badLines: 2, problemCount: 2, unreadFrom: 7 });
    for (const mode of ['reject', 'skip', 'update'] as const) {
      for (const audience of ['window', 'terminal'] as const) {
        const outcome = importOutcome(unread, users(mode, audience));
        expect(outcome).toEqual({
          kind: 'unreadable',
          summary: 'Nothing was imported: line 7 could not be read (a quote out of place), so the rest of the file was not read.',
          advice: 'Fix that line and import again.',
          nothingWritten: true,
        });
        expect(`${outcome.summary} ${outcome.advice}`).not.toMatch(/skip|reject|update/i);
      }
    }
  });

  it('skip mode with every line bad: nothing was imported, and says so', () => {
    const allBad = importOutcome(importReport({ rows: 4, skipped: 4, badLines: 4, problemCount: 6 }), users('skip', 'terminal'));
    expect(allBad).toMatchObject({ kind: 'all-bad', summary: 'Read 4 lines: all 4 were bad, so nothing was imported.', nothingWritten: true });
    expect(allBad.summary).not.toContain('Imported');
    expect(importOutcome(importReport({ rows: 1, skipped: 1, badLines: 1, problemCount: 1 }), users('skip')).summary).toBe(
      'Read 1 line: it was bad, so nothing was imported.',
    );
  });

  it('a header and no rows', () => {
    expect(importOutcome(importReport({}), users('reject'))).toEqual({
      kind: 'empty',
      summary: 'Nothing was imported: the file has a header but no rows.',
      advice: null,
      nothingWritten: false,
    });
  });

  it('count problems apart from the lines they are on', () => {
    expect(problemsText(importReport({ badLines: 10, problemCount: 12 }))).toBe('12 problems on 10 lines');
    expect(problemsText(importReport({ badLines: 1, problemCount: 2 }))).toBe('2 problems on 1 line');
    expect(problemsText(importReport({ badLines: 3, problemCount: 3 }))).toBe('3 problems');
    expect(problemsText(importReport({ badLines: 1, problemCount: 1 }))).toBe('1 problem');
    const problem: ImportProblem = { line: 2, column: 'email', value: 'x', reason: 'Email must look like name@example.com' };
    const many = importReport({ badLines: 3_000, problemCount: 4_512, problems: Array.from({ length: 1_000 }, () => problem) });
    expect(problemsShownText(many)).toBe('Showing the first 1,000 of 4,512 problems.');
    expect(problemsShownText(importReport({ badLines: 1, problemCount: 1, problems: [problem] }))).toBeNull();
  });
});
