import { create } from 'zustand';
import { PAGE_SIZES, type SortKey, type User, type UserListOutput } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { api } from '../api/api';
import { toApiError } from '../api/toApiError';

export type PageSize = (typeof PAGE_SIZES)[number];
export type SortDirection = 'asc' | 'desc';

/** Typing pauses shorter than this do not hit the database. */
export const SEARCH_DEBOUNCE_MS = 250;

export function isPageSize(value: number): value is PageSize {
  return (PAGE_SIZES as readonly number[]).includes(value);
}

interface UsersState {
  rows: User[];
  pageSize: PageSize;
  sort: SortKey;
  direction: SortDirection;
  /** What is in the search box right now. */
  searchText: string;
  /** The search the rows were (or are being) fetched with, after the debounce. */
  search: string;
  /**
   * Keyset paging: the `after` cursor of every page past the first, in order. The last one is the
   * current page's; popping it is "Previous". Empty means the first page.
   */
  cursors: string[];
  nextCursor: string | null;
  total: UserListOutput['total'] | null;
  loading: boolean;
  error: ApiError | null;
  /** A row just created or edited, marked so the admin can find it again. */
  highlightId: number | null;

  load: () => Promise<void>;
  /** Reload the current page (after a create, edit or delete). */
  refresh: (highlightId?: number | null) => Promise<void>;
  setSearchText: (text: string) => void;
  setPageSize: (pageSize: PageSize) => void;
  /** Sort by `key`; on the active key, flip the direction. */
  toggleSort: (key: SortKey) => void;
  nextPage: () => void;
  previousPage: () => void;
}

let requestSeq = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;

export const useUsersStore = create<UsersState>()((set, get) => {
  /** Any change of what is listed starts again at the first page, with a typed search applied. */
  function restart(changes: Partial<UsersState>): void {
    clearTimeout(searchTimer);
    set({ ...changes, search: get().searchText.trim(), cursors: [], highlightId: null });
    void get().load();
  }

  return {
    rows: [],
    pageSize: 25,
    sort: 'id',
    direction: 'asc',
    searchText: '',
    search: '',
    cursors: [],
    nextCursor: null,
    total: null,
    loading: false,
    error: null,
    highlightId: null,

    load: async () => {
      // Only the latest request may write: a slow earlier page must not overwrite a newer one.
      const seq = ++requestSeq;
      const { pageSize, sort, direction, search, cursors } = get();
      set({ loading: true, error: null });
      try {
        const page = await api.users.list({
          pageSize,
          sort,
          direction,
          search,
          after: cursors.at(-1) ?? null,
        });
        if (seq !== requestSeq) return;
        set({ rows: page.rows, nextCursor: page.nextCursor, total: page.total, loading: false });
      } catch (error) {
        if (seq !== requestSeq) return;
        const apiError = toApiError(error);
        // A cursor the server no longer accepts (e.g. after an upgrade) is not the admin's
        // problem: start again at the first page.
        if (apiError.code === 'VALIDATION' && apiError.field === 'after' && cursors.length > 0) {
          set({ cursors: [] });
          return get().load();
        }
        set({ rows: [], nextCursor: null, total: null, loading: false, error: apiError });
      }
    },

    refresh: async (highlightId = null) => {
      set({ highlightId });
      await get().load();
      const { error, rows, cursors } = get();
      // Deleting the last row of a later page would leave an empty page: step back one.
      if (!error && rows.length === 0 && cursors.length > 0) {
        set({ cursors: cursors.slice(0, -1) });
        await get().load();
      }
    },

    setSearchText: (text) => {
      set({ searchText: text });
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        if (text.trim() !== get().search) restart({});
      }, SEARCH_DEBOUNCE_MS);
    },

    setPageSize: (pageSize) => restart({ pageSize }),

    toggleSort: (key) => {
      const { sort, direction } = get();
      if (key === sort) restart({ direction: direction === 'asc' ? 'desc' : 'asc' });
      else restart({ sort: key, direction: 'asc' });
    },

    nextPage: () => {
      const { nextCursor, cursors, loading } = get();
      if (!nextCursor || loading) return;
      set({ cursors: [...cursors, nextCursor], highlightId: null });
      void get().load();
    },

    previousPage: () => {
      const { cursors, loading } = get();
      if (cursors.length === 0 || loading) return;
      set({ cursors: cursors.slice(0, -1), highlightId: null });
      void get().load();
    },
  };
});
