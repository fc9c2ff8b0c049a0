import type { ReactNode } from 'react';

const numberFormat = new Intl.NumberFormat('en-US');

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

/** "Rows 26–50", "About rows 500,001–500,025"; null when there is nothing to say. */
export function pageRangeText({ firstRow: { row, approximate }, rows }: PageRange): string | null {
  if (row === null || rows === 0) return null;
  const range = rows === 1 ? `row ${numberFormat.format(row)}` : `rows ${numberFormat.format(row)}–${numberFormat.format(row + rows - 1)}`;
  return approximate ? `About ${range}` : `${range.charAt(0).toUpperCase()}${range.slice(1)}`;
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
  // `disabled` when there is no such page; only aria-disabled while a page loads, so a keyboard
  // user paging along keeps focus on the button.
  const button = (text: string, enabled: boolean, onClick: () => void) => (
    <button type="button" className="button" disabled={!enabled} aria-disabled={busy || undefined} onClick={busy ? undefined : onClick}>
      {text}
    </button>
  );
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
