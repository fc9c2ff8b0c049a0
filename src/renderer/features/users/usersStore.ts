import { PAGE_SIZES, type SortKey, type Total, type User } from '../../../shared/contract';
import { api } from '../../lib/api';
import { resetOnSwitch } from '../../lib/currentConnection';
import { createKeysetListStore } from '../../lib/keysetListStore';

export type PageSize = (typeof PAGE_SIZES)[number];

export function isPageSize(value: number): value is PageSize {
  return (PAGE_SIZES as readonly number[]).includes(value);
}

/** The users list: keyset pages of `users.list`, highlighted rows by user id. */
export const useUsersStore = createKeysetListStore<User, SortKey, PageSize, Total, number>({
  fetchPage: (query) => api.users.list(query),
  defaults: { pageSize: 25, sort: 'id', direction: 'asc' },
});

// Another database in this window: its users are not these.
resetOnSwitch(() => useUsersStore.getState().reset());
