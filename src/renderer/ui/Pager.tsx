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
        {/* aria-disabled, never `disabled` (no such page, or a page loading): a keyboard user
            paging along keeps focus on the button, which ignores activation meanwhile. */}
        <button
          type="button"
          className="button"
          aria-disabled={busy || !hasPrevious || undefined}
          onClick={() => {
            if (!busy && hasPrevious) onPrevious();
          }}
        >
          Previous
        </button>
        <span className="pager-page">Page {page}</span>
        <button
          type="button"
          className="button"
          aria-disabled={busy || !hasNext || undefined}
          onClick={() => {
            if (!busy && hasNext) onNext();
          }}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
