import type { ReactNode } from 'react';

interface PagerProps {
  /** The navigation's accessible name; two pagers on one screen need two names. */
  label: string;
  /** 1-based. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** While a page loads the buttons refuse, but keep focus and their names. */
  busy?: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** Shown before the buttons, e.g. how many rows there are. */
  children?: ReactNode;
}

/** Previous / Next over keyset pages (no page count: keyset paging does not number pages ahead). */
export function Pager({ label, page, hasPrevious, hasNext, busy = false, onPrevious, onNext, children }: PagerProps) {
  return (
    <nav className="pager" aria-label={label}>
      <div className="pager-summary">{children}</div>
      <div className="pager-buttons">
        {/* `disabled` when there is no such page; only aria-disabled while a page loads, so a
            keyboard user paging along keeps focus on the button. */}
        <button type="button" className="button" disabled={!hasPrevious} aria-disabled={busy || undefined} onClick={onPrevious}>
          Previous
        </button>
        <span className="pager-page">Page {page}</span>
        <button type="button" className="button" disabled={!hasNext} aria-disabled={busy || undefined} onClick={onNext}>
          Next
        </button>
      </div>
    </nav>
  );
}
