import { useRef, useState } from 'react';
import { PAGE_SIZES, SEARCH_MAX, userMatchModes, type UserMatch } from '../../../shared/contract';
import { countOf } from '../../lib/format/count';
import { GuardedButton } from '../../ui/GuardedButton';
import { UsersTransfer } from '../transfer/UsersTransfer';
import { activeFilterCount, MATCH_LABELS, MATCH_PLACEHOLDERS, placeListField } from './usersFormat';
import { isPageSize } from '../../lib/keysetListStore';
import { DEFAULT_USERS_FILTERS, useUsersStore } from './usersStore';
import { UsersFiltersPanel } from './UsersFiltersPanel';

interface UsersToolbarProps {
  onNewUser: () => void;
  /** Set on a read-only connection: "New user" does nothing, described by the note this id names. */
  readOnlyReasonId?: string;
}

const SEARCH_ERROR_ID = 'users-search-error';
const FILTERS_PANEL_ID = 'users-filters-panel';

function isMatch(value: string): value is UserMatch {
  return (userMatchModes as readonly string[]).includes(value);
}

/** Search (with how it matches), filters, page size, CSV export and import, and "New user" above the users table. */
export function UsersToolbar({ onNewUser, readOnlyReasonId }: UsersToolbarProps) {
  const searchText = useUsersStore((s) => s.searchText);
  const pageSize = useUsersStore((s) => s.pageSize);
  const filters = useUsersStore((s) => s.filters);
  const error = useUsersStore((s) => s.error);
  const { setSearchText, setPageSize, setFilters } = useUsersStore.getState();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersToggleRef = useRef<HTMLButtonElement>(null);

  const placed = error?.code === 'VALIDATION' ? placeListField(error.field) : null;
  // The server's word on the search (an id that is not a number, say) sits under the box.
  const searchError = placed?.kind === 'search' && error ? error.message : null;
  const filterError = placed?.kind === 'filter' && error ? { field: placed.field, message: error.message } : null;
  const active = activeFilterCount(filters);
  // A filter the server refused is shown where it can be fixed: the panel opens (once per error).
  const [seenError, setSeenError] = useState(error);
  if (error !== seenError) {
    setSeenError(error);
    if (filterError) setFiltersOpen(true);
  }
  const panelOpen = filtersOpen;

  return (
    <>
      <div className="toolbar">
        <div className="toolbar-field toolbar-search">
          <label htmlFor="users-search" className="field-label">
            Search users
          </label>
          <input
            id="users-search"
            type="search"
            className="input"
            placeholder={MATCH_PLACEHOLDERS[filters.match]}
            value={searchText}
            maxLength={SEARCH_MAX}
            autoComplete="off"
            spellCheck={false}
            inputMode={filters.match === 'id' ? 'numeric' : filters.match === 'contains' ? undefined : 'email'}
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? SEARCH_ERROR_ID : undefined}
            onChange={(event) => setSearchText(event.target.value)}
          />
          {/* Always in the page: the refusal arrives after the debounce, while the admin types, and is heard then. */}
          <div aria-live="polite">
            {searchError && (
              <p id={SEARCH_ERROR_ID} className="field-error">
                {searchError}
              </p>
            )}
          </div>
        </div>
        <div className="toolbar-field">
          <label htmlFor="users-match" className="field-label">
            Match
          </label>
          <select
            id="users-match"
            className="select"
            value={filters.match}
            onChange={(event) => {
              if (isMatch(event.target.value)) setFilters({ ...filters, match: event.target.value });
            }}
          >
            {userMatchModes.map((mode) => (
              <option key={mode} value={mode}>
                {MATCH_LABELS[mode]}
              </option>
            ))}
          </select>
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
        <div className="users-filters-toggle">
          <button
            ref={filtersToggleRef}
            type="button"
            className="button"
            aria-expanded={panelOpen}
            aria-controls={panelOpen ? FILTERS_PANEL_ID : undefined}
            onClick={() => setFiltersOpen(!panelOpen)}
          >
            <span aria-hidden="true" className="disclosure-arrow">
              {panelOpen ? '▾' : '▸'}
            </span>
            Filters
          </button>
          {active > 0 && (
            <>
              <span className="users-filters-on">{countOf(active, 'filter')} on</span>
              <button
                type="button"
                className="button button-small button-quiet"
                onClick={() => {
                  setFilters({ ...DEFAULT_USERS_FILTERS, match: filters.match });
                  // This button goes with the filters: focus stays beside it rather than falling to the page.
                  filtersToggleRef.current?.focus();
                }}
              >
                Clear filters
              </button>
            </>
          )}
        </div>
        <div className="toolbar-spacer" />
        <UsersTransfer readOnlyReasonId={readOnlyReasonId} />
        <GuardedButton className="button button-primary" unavailableReasonId={readOnlyReasonId} onClick={onNewUser}>
          New user
        </GuardedButton>
      </div>
      {panelOpen && (
        <UsersFiltersPanel
          id={FILTERS_PANEL_ID}
          filters={filters}
          serverError={filterError}
          onApply={(applied) => setFilters({ ...applied, match: filters.match })}
          onClose={() => setFiltersOpen(false)}
        />
      )}
    </>
  );
}
