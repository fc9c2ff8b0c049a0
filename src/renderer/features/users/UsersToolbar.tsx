import { PAGE_SIZES, SEARCH_MAX } from '../../../shared/contract';
import { isPageSize, useUsersStore } from './usersStore';

interface UsersToolbarProps {
  onNewUser: () => void;
  /** Set on a read-only connection: "New user" does nothing, described by the note this id names. */
  readOnlyReasonId?: string;
}

/** Search, page size and "New user" above the users table. */
export function UsersToolbar({ onNewUser, readOnlyReasonId }: UsersToolbarProps) {
  const readOnly = readOnlyReasonId !== undefined;
  const searchText = useUsersStore((s) => s.searchText);
  const pageSize = useUsersStore((s) => s.pageSize);
  const setSearchText = useUsersStore((s) => s.setSearchText);
  const setPageSize = useUsersStore((s) => s.setPageSize);

  return (
    <div className="toolbar">
      <div className="toolbar-field toolbar-search">
        <label htmlFor="users-search" className="field-label">
          Search users
        </label>
        <input
          id="users-search"
          type="search"
          className="input"
          placeholder="Search by email or name"
          value={searchText}
          maxLength={SEARCH_MAX}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setSearchText(event.target.value)}
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor="users-page-size" className="field-label">
          Rows per page
        </label>
        <select
          id="users-page-size"
          className="select"
          value={pageSize}
          onChange={(event) => {
            const size = Number(event.target.value);
            if (isPageSize(size)) setPageSize(size);
          }}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-spacer" />
      <button
        type="button"
        className="button button-primary"
        aria-disabled={readOnly || undefined}
        aria-describedby={readOnlyReasonId}
        onClick={() => {
          if (!readOnly) onNewUser();
        }}
      >
        New user
      </button>
    </div>
  );
}
