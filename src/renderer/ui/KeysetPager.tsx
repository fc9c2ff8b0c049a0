import type { ReactNode } from 'react';
import { formatNumber } from '../lib/format/count';

/** Where the page shown sits in the order, as far as it is known. */
export interface PageRange {
  /**
   * The row number of the page's first row (1 is the first of the order), null when not known;
   * `approximate` when it comes from statistics (a jump to a position), not a count.
   */
  firstRow: { row: number | null; approximate: boolean };
  /** Rows on the page shown. */
  rows: number;
}

/**
 * "Rows 26–50", "Rows ≈500,001–500,025" (≈ when the row numbers come from statistics), "Row 7";
 * null when there is nothing to say. The same words as the Users screen's pager.
 */
export function pageRangeText({ firstRow: { row, approximate }, rows }: PageRange): string | null {
  if (row === null || rows === 0) return null;
  const mark = approximate ? '≈' : '';
  if (rows === 1) return `Row ${mark}${formatNumber(row)}`;
  return `Rows ${mark}${formatNumber(row)}–${formatNumber(row + rows - 1)}`;
}

interface KeysetPagerProps {
  /** The navigation's accessible name; two pagers on one screen need two names. */
  label: string;
  hasPrevious: boolean;
  hasNext: boolean;
  /** While a page loads the buttons refuse, but keep focus and their names. */
  busy?: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onLast: () => void;
  /** Where the page sits ("Rows 26–50"); left out where it is not worth saying. */
  range?: PageRange;
  /** Shown before the buttons, e.g. how many rows there are. */
  children?: ReactNode;
}

/**
 * First / Previous / Next / Last over keyset pages. Keyset paging starts from either end of the
 * order, so Last is one request however long the list is; there is no page count, only where the
 * rows shown sit when that is known.
 */
export function KeysetPager({ label, hasPrevious, hasNext, busy = false, onFirst, onPrevious, onNext, onLast, range, children }: KeysetPagerProps) {
  const rangeText = range ? pageRangeText(range) : null;
  // aria-disabled, never `disabled`, both when there is no such page and while a page loads: Enter
  // on Last must not disable the button under the keyboard and drop focus to the page (as
  // ModalActions does). The button keeps focus and its name, and ignores activation.
  const button = (text: string, enabled: boolean, onClick: () => void) => {
    const unavailable = busy || !enabled;
    return (
      <button
        type="button"
        className="button"
        aria-disabled={unavailable || undefined}
        onClick={() => {
          if (!unavailable) onClick();
        }}
      >
        {text}
      </button>
    );
  };
  return (
    <nav className="pager" aria-label={label}>
      <div className="pager-summary">{children}</div>
      <div className="pager-buttons">
        {button('First', hasPrevious, onFirst)}
        {button('Previous', hasPrevious, onPrevious)}
        {rangeText && <span className="pager-page">{rangeText}</span>}
        {button('Next', hasNext, onNext)}
        {button('Last', hasNext, onLast)}
      </div>
    </nav>
  );
}
