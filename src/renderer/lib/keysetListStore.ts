import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ApiError } from '../../shared/errors';
import { toApiError } from './toApiError';

export type SortDirection = 'asc' | 'desc';

/** What one page request asks for: keyset paging, never an offset. */
export interface KeysetQuery<Sort extends string, Size extends number> {
  pageSize: Size;
  sort: Sort;
  direction: SortDirection;
  search: string;
  /** The previous page's `nextCursor`; null for the first page. */
  after: string | null;
}

export interface KeysetPage<Row, Total> {
  rows: Row[];
  nextCursor: string | null;
  total: Total;
}

export interface KeysetListState<Row, Sort extends string, Size extends number, Total, Key> {
  rows: Row[];
  pageSize: Size;
  sort: Sort;
  direction: SortDirection;
  /** What is in the search box right now. */
  searchText: string;
  /** The search the rows were (or are being) fetched with, after the debounce. */
  search: string;
  /**
   * The `after` cursor of every page past the first, in order. The last one is the current
   * page's; popping it is "Previous". Empty means the first page.
   */
  cursors: string[];
  nextCursor: string | null;
  /** Null until a page has arrived (so no "nothing here" flash before the first answer). */
  total: Total | null;
  loading: boolean;
  error: ApiError | null;
  /** A row just created or edited, marked so the admin can find it again. */
  highlight: Key | null;

  load: () => Promise<void>;
  /** Reload the current page (after a create, edit or delete), optionally marking one row. */
  refresh: (highlight?: Key | null) => Promise<void>;
  setSearchText: (text: string) => void;
  setPageSize: (pageSize: Size) => void;
  /** Sort by `key`; on the active key, flip the direction. */
  toggleSort: (key: Sort) => void;
  next: () => void;
  previous: () => void;
  /** Back to the first state (another database is shown): rows, search and requests in flight are dropped. */
  reset: () => void;
}

export interface KeysetListOptions<Row, Sort extends string, Size extends number, Total> {
  fetchPage: (query: KeysetQuery<Sort, Size>) => Promise<KeysetPage<Row, Total>>;
  defaults: { pageSize: Size; sort: Sort; direction: SortDirection };
  /** Typing pauses shorter than this do not hit the database. */
  searchDebounceMs?: number;
  /** The request field that carries the cursor, for recognising a cursor the server refused. */
  cursorField?: string;
}

const SEARCH_DEBOUNCE_MS = 250;

/**
 * A zustand store for one keyset-paged, sortable, searchable list. Only the latest request may
 * write (a slow earlier page never overwrites a newer one), and any change of what is listed
 * starts again at the first page.
 */
export function createKeysetListStore<Row, Sort extends string, Size extends number, Total, Key = string | number>(
  options: KeysetListOptions<Row, Sort, Size, Total>,
): UseBoundStore<StoreApi<KeysetListState<Row, Sort, Size, Total, Key>>> {
  const { fetchPage, defaults, searchDebounceMs = SEARCH_DEBOUNCE_MS, cursorField = 'after' } = options;
  type State = KeysetListState<Row, Sort, Size, Total, Key>;
  let requestSeq = 0;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  const initial = {
    rows: [],
    pageSize: defaults.pageSize,
    sort: defaults.sort,
    direction: defaults.direction,
    searchText: '',
    search: '',
    cursors: [],
    nextCursor: null,
    total: null,
    loading: false,
    error: null,
    highlight: null,
  } satisfies Partial<State>;

  return create<State>()((set, get) => {
    function restart(changes: Partial<State>): void {
      clearTimeout(searchTimer);
      set({ ...changes, search: get().searchText.trim(), cursors: [], highlight: null });
      void get().load();
    }

    return {
      ...initial,

      load: async () => {
        const seq = ++requestSeq;
        const { pageSize, sort, direction, search, cursors } = get();
        set({ loading: true, error: null });
        try {
          const page = await fetchPage({ pageSize, sort, direction, search, after: cursors.at(-1) ?? null });
          if (seq !== requestSeq) return;
          set({ rows: page.rows, nextCursor: page.nextCursor, total: page.total, loading: false });
        } catch (error) {
          if (seq !== requestSeq) return;
          const apiError = toApiError(error);
          // A cursor the server no longer accepts (e.g. after an upgrade) is not the admin's
          // problem: start again at the first page.
          if (apiError.code === 'VALIDATION' && apiError.field === cursorField && cursors.length > 0) {
            set({ cursors: [] });
            return get().load();
          }
          set({ rows: [], nextCursor: null, total: null, loading: false, error: apiError });
        }
      },

      refresh: async (highlight = null) => {
        set({ highlight });
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
        }, searchDebounceMs);
      },

      setPageSize: (pageSize) => restart({ pageSize }),

      toggleSort: (key) => {
        const { sort, direction } = get();
        if (key === sort) restart({ direction: direction === 'asc' ? 'desc' : 'asc' });
        else restart({ sort: key, direction: 'asc' });
      },

      next: () => {
        const { nextCursor, cursors, loading } = get();
        if (!nextCursor || loading) return;
        set({ cursors: [...cursors, nextCursor], highlight: null });
        void get().load();
      },

      previous: () => {
        const { cursors, loading } = get();
        if (cursors.length === 0 || loading) return;
        set({ cursors: cursors.slice(0, -1), highlight: null });
        void get().load();
      },

      reset: () => {
        ++requestSeq;
        clearTimeout(searchTimer);
        set(initial);
      },
    };
  });
}
