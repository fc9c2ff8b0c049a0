import { type SortKey, type User, type UserFilters, type UserMatch } from '../../../shared/contract';
import { api } from '../../lib/api';
import { resetOnSwitch } from '../../lib/currentConnection';
import { createKeysetListStore, type PageSize } from '../../lib/keysetListStore';
import { parseIdText } from '../../lib/typedNumbers';

/**
 * What narrows the users list besides the search text: how that text is matched, and the
 * contract's filters. One object, so a change of either starts the list over like a new search.
 */
export interface UsersListFilters extends UserFilters {
  match: UserMatch;
}

export const DEFAULT_USERS_FILTERS: UsersListFilters = { match: 'contains', products: 'any' };

/**
 * An id as an admin may type it: "500,000", "500.000", "500 000" or "#500000" (lib/typedNumbers,
 * as Go to and the owner picker read it). Anything else is sent as typed, for the server to refuse at the box.
 */
export function idSearchText(search: string): string {
  const id = parseIdText(search);
  return id === null ? search : String(id);
}

/** The request fields for a listing: `match` beside the search, the rest as `filters`. */
export function userSelection(search: string, { match, ...filters }: UsersListFilters): { search: string; match: UserMatch; filters: UserFilters } {
  return { search: match === 'id' ? idSearchText(search) : search, match, filters };
}

/** The users list: keyset pages of `users.list`, highlighted rows by user id. */
export const useUsersStore = createKeysetListStore<User, SortKey, PageSize, UsersListFilters, number>({
  fetchPage: ({ search, filters, ...query }) => api.users.list({ ...query, ...userSelection(search, filters) }),
  locate: ({ search, filters, ...input }) => api.users.locate({ ...input, ...userSelection(search, filters) }),
  defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: DEFAULT_USERS_FILTERS },
});

/** Which users the list shows now, as one comparable key (search, match and filters); without a search the match mode changes nothing. */
export function listingKey(search: string, filters: UsersListFilters): string {
  const { search: s, match, filters: f } = userSelection(search, filters);
  return JSON.stringify([s, s ? match : null, f.createdFrom ?? null, f.createdTo ?? null, f.idFrom ?? null, f.idTo ?? null, f.products]);
}

// Another database in this window: its users are not these.
resetOnSwitch(() => useUsersStore.getState().reset());
