import { create } from 'zustand';
import type { UserBulkSelection } from '../../../shared/contract';
import { resetOnSwitch } from '../../lib/currentConnection';
import { listingKey, userSelection, useUsersStore, type UsersListFilters } from './usersStore';

interface UserSelectionState {
  /** Ticked users, by id, in the order they were ticked (kept while paging through the same listing). */
  ids: readonly number[];
  /** "Select all N matching": every user the search and filters select, not only those loaded. */
  allMatching: { search: string; filters: UsersListFilters } | null;
  toggle: (id: number, on: boolean) => void;
  /** Ticks or unticks every row of the page shown. */
  setPage: (ids: readonly number[], on: boolean) => void;
  selectAllMatching: (search: string, filters: UsersListFilters) => void;
  clear: () => void;
}

export const useUserSelectionStore = create<UserSelectionState>()((set, get) => ({
  ids: [],
  allMatching: null,

  toggle: (id, on) => {
    const { ids, allMatching } = get();
    if (allMatching) {
      // Leaving "all matching" by unticking one: keep the page's other rows ticked, as shown.
      const page = useUsersStore.getState().rows.map((user) => user.id);
      set({ allMatching: null, ids: on ? page : page.filter((other) => other !== id) });
      return;
    }
    if (on) set({ ids: ids.includes(id) ? ids : [...ids, id] });
    else set({ ids: ids.filter((other) => other !== id) });
  },

  setPage: (page, on) => {
    const { ids, allMatching } = get();
    if (on) set({ allMatching: null, ids: [...ids, ...page.filter((id) => !ids.includes(id))] });
    // Unticking the page while "all matching" was on leaves nothing ticked, as it shows.
    else set({ allMatching: null, ids: allMatching ? [] : ids.filter((id) => !page.includes(id)) });
  },

  selectAllMatching: (search, filters) => set({ allMatching: { search, filters } }),

  clear: () => set({ ids: [], allMatching: null }),
}));

/** What a bulk delete of the current selection asks about, or null when nothing is selected. */
export function bulkSelection({ ids, allMatching }: Pick<UserSelectionState, 'ids' | 'allMatching'>): UserBulkSelection | null {
  if (allMatching) return { kind: 'matching', ...userSelection(allMatching.search, allMatching.filters) };
  return ids.length > 0 ? { kind: 'ids', ids: [...ids] } : null;
}

// Ticks are about the users the list selects: another search or filter, another database, and
// they would name users the admin no longer sees.
useUsersStore.subscribe((state, previous) => {
  if (listingKey(state.search, state.filters) !== listingKey(previous.search, previous.filters)) useUserSelectionStore.getState().clear();
});
resetOnSwitch(() => useUserSelectionStore.getState().clear());
