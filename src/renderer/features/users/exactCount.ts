import { api } from '../../lib/api';
import { createExactCountStore } from '../../lib/exactCountStore';
import { listingKey, userSelection, useUsersStore, type UsersListFilters } from './usersStore';

/** "Count exactly" on the Users screen: `users.count` of the search, match mode and filters shown. */
export const useExactCountStore = createExactCountStore<UsersListFilters>({
  list: useUsersStore,
  count: (search, filters) => api.users.count(userSelection(search, filters)),
  key: listingKey,
});
