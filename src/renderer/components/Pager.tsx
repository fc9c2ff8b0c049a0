import { usersTotalText } from '../format/count';
import { useUsersStore } from '../stores/usersStore';

/** Previous/Next over keyset pages, and how many users there are (or about how many). */
export function Pager() {
  const cursors = useUsersStore((s) => s.cursors);
  const nextCursor = useUsersStore((s) => s.nextCursor);
  const total = useUsersStore((s) => s.total);
  const loading = useUsersStore((s) => s.loading);
  const nextPage = useUsersStore((s) => s.nextPage);
  const previousPage = useUsersStore((s) => s.previousPage);
  const page = cursors.length + 1;

  return (
    <nav className="pager" aria-label="Pages">
      <p className="pager-total">{total ? usersTotalText(total) : ''}</p>
      <div className="pager-buttons">
        {/* `disabled` when there is no such page; only aria-disabled while a page loads, so a
            keyboard user paging along keeps focus on the button. */}
        <button
          type="button"
          className="button"
          disabled={cursors.length === 0}
          aria-disabled={loading || undefined}
          onClick={previousPage}
        >
          Previous
        </button>
        <span className="pager-page">Page {page}</span>
        <button
          type="button"
          className="button"
          disabled={!nextCursor}
          aria-disabled={loading || undefined}
          onClick={nextPage}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
