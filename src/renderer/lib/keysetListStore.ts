import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { PAGE_SIZES, type LocateOutput, type LocateTarget, type Total } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { toApiError } from './toApiError';

export type SortDirection = 'asc' | 'desc';

/** The page sizes every list offers (the contract's). */
export type PageSize = (typeof PAGE_SIZES)[number];

export function isPageSize(value: number): value is PageSize {
  return (PAGE_SIZES as readonly number[]).includes(value);
}

/** What one page request asks for: keyset paging from either end or from a cursor, never an offset. */
export interface KeysetQuery<Sort extends string, Size extends number, Filters> {
  pageSize: Size;
  sort: Sort;
  direction: SortDirection;
  search: string;
  filters: Filters;
  /** Which end the page starts from when no cursor is given. */
  from: 'first' | 'last';
  /** The previous page's `nextCursor` (Next). */
  after: string | null;
  /** The previous page's `previousCursor` (Previous). */
  before: string | null;
  /** A locate answer's `cursor` (Go to). */
  at: string | null;
  /** Whether to work the total out: once per listing, not on every page. */
  withTotal: boolean;
}

export interface KeysetPage<Row> {
  rows: Row[];
  nextCursor: string | null;
  previousCursor: string | null;
  total: Total | null;
  searchNote: string | null;
}

export interface KeysetLocateInput<Sort extends string, Filters, Size extends number = number> {
  sort: Sort;
  direction: SortDirection;
  search: string;
  filters: Filters;
  target: LocateTarget;
  /**
   * The listing's total when it is exact (a Count exactly, a small list): the server places a row
   * number or a share by it rather than by the planner's estimate. Absent when the total shown is
   * an estimate or unknown, or the search just changed with the locate.
   */
  knownTotal?: number;
  /** The page size the landing is shown in: the end, or past it, lands on the last full page. */
  pageSize?: Size;
}

/** Where the page shown starts in the order. */
export type KeysetPosition = { kind: 'first' } | { kind: 'last' } | { kind: 'after' | 'before' | 'at'; cursor: string };

/** The row number of the page's first row, as far as it is known. */
export interface FirstRow {
  /** 1 is the first row of the order; null when it cannot be known (say, the total is unknown). */
  row: number | null;
  /** True when it comes from statistics (a jump to a position, an estimated total), not a count. */
  approximate: boolean;
}

export interface KeysetListState<Row, Sort extends string, Size extends number, Filters, Key> {
  rows: Row[];
  pageSize: Size;
  sort: Sort;
  direction: SortDirection;
  /** What is in the search box right now. */
  searchText: string;
  /** The search the rows were (or are being) fetched with, after the debounce. */
  search: string;
  filters: Filters;
  /** Where the page shown (or being fetched) starts: what Retry and refresh load again. */
  position: KeysetPosition;
  nextCursor: string | null;
  previousCursor: string | null;
  /** Null until a page has arrived (so no "nothing here" flash before the first answer). */
  total: Total | null;
  firstRow: FirstRow;
  /** Why searching is slower here, when it is (no index serves it). */
  searchNote: string | null;
  loading: boolean;
  error: ApiError | null;
  /** A row just created, edited or gone to, marked so the admin can find it again. */
  highlight: Key | null;
  /** What the last Go to found ("About row 500,000"), until the next move. */
  located: string | null;

  /** Loads the page at the current position again, total included (the screen was opened, Retry). */
  load: () => Promise<void>;
  /** Reloads the current page after a write (total asked again), optionally marking one row. */
  refresh: (highlight?: Key | null) => Promise<void>;
  setSearchText: (text: string) => void;
  setPageSize: (pageSize: Size) => void;
  /** Sort by `key`; on the active key, flip the direction. */
  toggleSort: (key: Sort) => void;
  setFilters: (filters: Filters) => void;
  next: () => void;
  previous: () => void;
  first: () => void;
  last: () => void;
  /** Finds where `target` is in the current order and shows that page; resolves to why it could not. */
  locate: (target: LocateTarget) => Promise<ApiError | null>;
  /** A total learned another way (an exact count) for the listing shown now: shown and used from here on. */
  adoptTotal: (total: Total) => void;
  /** Back to the first state (another database is shown): rows, search and requests in flight are dropped. */
  reset: () => void;
}

export interface KeysetListOptions<Row, Sort extends string, Size extends number, Filters> {
  fetchPage: (query: KeysetQuery<Sort, Size, Filters>) => Promise<KeysetPage<Row>>;
  /** Hand the whole input on to `*.locate` (its knownTotal and pageSize included), not just the fields picked out of it. */
  locate?: (input: KeysetLocateInput<Sort, Filters, Size>) => Promise<LocateOutput>;
  defaults: { pageSize: Size; sort: Sort; direction: SortDirection; filters: Filters };
  /** Typing pauses shorter than this do not hit the database. */
  searchDebounceMs?: number;
}

const SEARCH_DEBOUNCE_MS = 250;
/** The request fields that carry a cursor: a VALIDATION error on one means the server refused it. */
const CURSOR_FIELDS: readonly string[] = ['after', 'before', 'at'];
const FIRST_ROW: FirstRow = { row: 1, approximate: false };
const UNKNOWN_ROW: FirstRow = { row: null, approximate: false };
/** What `go` resolves to when a newer request took over: nothing it fetched was shown. */
const SUPERSEDED = Symbol('superseded');

/**
 * A total never says fewer rows than the page proves there are; and a page reached with exact row
 * numbers that has nothing after it says exactly how many there are.
 */
function reconcileTotal(total: Total | null, firstRow: FirstRow, rows: number, hasNext: boolean): Total | null {
  // An empty page proves nothing (its rows were deleted, or it lies past the end).
  if (rows === 0) return total;
  if (firstRow.row !== null && !firstRow.approximate && !hasNext && rows > 0) return { count: firstRow.row + rows - 1, estimated: false };
  if (!total) return total;
  let atLeast = rows + (hasNext ? 1 : 0);
  if (firstRow.row !== null) atLeast = firstRow.row + rows - 1 + (hasNext ? 1 : 0);
  return total.count < atLeast ? { ...total, count: atLeast } : total;
}

/** The last page's first row: counted back from the total, as approximate as the total is. */
function lastPageFirstRow(total: Total | null, rows: number, previousCursor: string | null): FirstRow {
  if (previousCursor === null) return FIRST_ROW;
  if (!total) return UNKNOWN_ROW;
  return { row: Math.max(1, total.count - rows + 1), approximate: total.estimated };
}

/**
 * A zustand store for one keyset-paged, sortable, searchable, filterable list. Only the latest
 * request may write (a slow earlier page never overwrites a newer one); any change of what is
 * listed starts again at the first page and asks the total; moving through the list does not (one
 * round trip, the known total kept) until a write makes it stale.
 */
export function createKeysetListStore<Row, Sort extends string, Size extends number, Filters, Key = string | number>(
  options: KeysetListOptions<Row, Sort, Size, Filters>,
): UseBoundStore<StoreApi<KeysetListState<Row, Sort, Size, Filters, Key>>> {
  const { fetchPage, locate, defaults, searchDebounceMs = SEARCH_DEBOUNCE_MS } = options;
  type State = KeysetListState<Row, Sort, Size, Filters, Key>;
  let requestSeq = 0;
  /**
   * What is listed changed and no page with its own total has landed yet: the total on screen is
   * the previous listing's, so a Go to must neither send it as known nor keep it.
   */
  let totalStale = false;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  const initial = {
    rows: [],
    pageSize: defaults.pageSize,
    sort: defaults.sort,
    direction: defaults.direction,
    searchText: '',
    search: '',
    filters: defaults.filters,
    position: { kind: 'first' },
    nextCursor: null,
    previousCursor: null,
    total: null,
    firstRow: FIRST_ROW,
    searchNote: null,
    loading: false,
    error: null,
    highlight: null,
    located: null,
  } satisfies Partial<State>;

  return create<State>()((set, get) => {
    interface Move {
      position: KeysetPosition;
      withTotal: boolean;
      /** The first row's number once the page is in (the state before the move, the page). */
      firstRow: (page: KeysetPage<Row>, total: Total | null) => FirstRow;
      /** Applied with the page (so nothing is said about a page that never arrived). */
      with?: Partial<State>;
      /** Already counted as the latest request (locate took the number first). */
      seq?: number;
    }

    /**
     * Fetches one page; resolves to the error the list now shows, null once the page is shown, or
     * SUPERSEDED when a newer request took over (the list shows that one's outcome, not this one's).
     */
    async function go(move: Move): Promise<ApiError | null | typeof SUPERSEDED> {
      const seq = move.seq ?? ++requestSeq;
      set({ position: move.position, loading: true, error: null });
      const { pageSize, sort, direction, search, filters } = get();
      const { position } = move;
      try {
        const page = await fetchPage({
          pageSize,
          sort,
          direction,
          search,
          filters,
          from: position.kind === 'last' ? 'last' : 'first',
          after: position.kind === 'after' ? position.cursor : null,
          before: position.kind === 'before' ? position.cursor : null,
          at: position.kind === 'at' ? position.cursor : null,
          withTotal: move.withTotal,
        });
        if (seq !== requestSeq) return SUPERSEDED;
        if (move.withTotal && page.total) totalStale = false;
        // Read now, not when the request left: an exact count adopted meanwhile must not be
        // put back to the estimate the request started with.
        const total = move.withTotal ? (page.total ?? get().total) : get().total;
        let firstRow = move.firstRow(page, total);
        // A total the server just counted outranks a row number kept from before (rows deleted
        // in front of this page, say): the number gives way, marked approximate, never the count.
        if (
          move.withTotal &&
          page.total &&
          !page.total.estimated &&
          firstRow.row !== null &&
          firstRow.row + page.rows.length - 1 > page.total.count
        ) {
          firstRow = { row: Math.max(1, page.total.count - page.rows.length + 1), approximate: true };
        }
        set({
          rows: page.rows,
          nextCursor: page.nextCursor,
          previousCursor: page.previousCursor,
          total: reconcileTotal(total, firstRow, page.rows.length, page.nextCursor !== null),
          firstRow,
          searchNote: page.searchNote,
          loading: false,
          ...move.with,
        });
        return null;
      } catch (error) {
        if (seq !== requestSeq) return SUPERSEDED;
        const apiError = toApiError(error);
        // A cursor the server no longer accepts (after an upgrade, a restart with another key) is
        // not the admin's problem: start again at the first page.
        if (apiError.code === 'VALIDATION' && apiError.field !== undefined && CURSOR_FIELDS.includes(apiError.field) && position.kind !== 'first') {
          return go({ position: { kind: 'first' }, withTotal: true, firstRow: () => FIRST_ROW });
        }
        set({ rows: [], nextCursor: null, previousCursor: null, total: null, searchNote: null, loading: false, error: apiError });
        return apiError;
      }
    }

    /** What is listed changed: the first page, its total asked afresh. */
    function restart(changes: Partial<State>): void {
      clearTimeout(searchTimer);
      set({ ...changes, search: get().searchText.trim(), highlight: null, located: null });
      totalStale = true;
      void go({ position: { kind: 'first' }, withTotal: true, firstRow: () => FIRST_ROW });
    }

    /** A move through the same listing: one round trip, the known total kept (asked only if unknown). */
    function move(position: KeysetPosition, firstRow: Move['firstRow']): void {
      set({ highlight: null, located: null });
      void go({ position, withTotal: get().total === null, firstRow });
    }

    /** The first row after reloading `position` in place (a refresh, a retry). */
    function sameRow(position: KeysetPosition): Move['firstRow'] {
      const before = get().firstRow;
      if (position.kind === 'first') return () => FIRST_ROW;
      if (position.kind === 'last') return (page, total) => lastPageFirstRow(total, page.rows.length, page.previousCursor);
      const totalBefore = get().total;
      // Rows written or deleted since (the total moved): the kept number may have shifted.
      return (page, total) =>
        page.previousCursor === null
          ? FIRST_ROW
          : before.row !== null && total !== null && totalBefore !== null && total.count !== totalBefore.count
            ? { ...before, approximate: true }
            : before;
    }

    return {
      ...initial,

      load: async () => {
        const { position } = get();
        await go({ position, withTotal: true, firstRow: sameRow(position) });
      },

      refresh: async (highlight = null) => {
        set({ highlight });
        const { position } = get();
        const outcome = await go({ position, withTotal: true, firstRow: sameRow(position) });
        // Superseded: a newer request (another search, a move) owns the list now; stepping back
        // from its empty page would overwrite where it landed.
        if (outcome !== null || get().rows.length > 0) return;
        // The rows of this page were deleted: an empty page past the end steps back to the last
        // page, one before the start to the first.
        if (position.kind === 'after' || position.kind === 'at') {
          await go({
            position: { kind: 'last' },
            withTotal: false,
            firstRow: (page, total) => lastPageFirstRow(total, page.rows.length, page.previousCursor),
          });
        } else if (position.kind === 'before') {
          await go({ position: { kind: 'first' }, withTotal: false, firstRow: () => FIRST_ROW });
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

      setFilters: (filters) => restart({ filters }),

      next: () => {
        const { nextCursor, loading, firstRow, rows } = get();
        if (!nextCursor || loading) return;
        const shown = rows.length;
        move({ kind: 'after', cursor: nextCursor }, () => (firstRow.row === null ? UNKNOWN_ROW : { ...firstRow, row: firstRow.row + shown }));
      },

      previous: () => {
        const { previousCursor, loading, firstRow } = get();
        if (!previousCursor || loading) return;
        move({ kind: 'before', cursor: previousCursor }, (page) => {
          // The server answers the first page when fewer rows than a page precede the cursor.
          if (page.previousCursor === null) return FIRST_ROW;
          if (firstRow.row === null) return UNKNOWN_ROW;
          // A number that runs out while rows still precede (it came from statistics, or rows
          // were added in front): not known, rather than "Rows ≈1–25" page after page.
          const row = firstRow.row - page.rows.length;
          return row > 1 ? { ...firstRow, row } : UNKNOWN_ROW;
        });
      },

      first: () => {
        if (get().loading) return;
        move({ kind: 'first' }, () => FIRST_ROW);
      },

      last: () => {
        if (get().loading) return;
        move({ kind: 'last' }, (page, total) => lastPageFirstRow(total, page.rows.length, page.previousCursor));
      },

      locate: async (target) => {
        if (!locate) return { code: 'INTERNAL', message: 'This list cannot go to a row.' };
        clearTimeout(searchTimer);
        const seq = ++requestSeq;
        // What is typed in the search box is what the admin sees: locate within it.
        const search = get().searchText.trim();
        const searchChanged = search !== get().search;
        if (searchChanged) totalStale = true;
        const listingChanged = totalStale;
        set({ search, loading: true, error: null, highlight: null, located: null });
        const { sort, direction, filters, total, pageSize } = get();
        // The total shown is of this listing unless what is listed changed and its first page
        // (with its own total) has not landed yet.
        const knownTotal = total && !total.estimated && !listingChanged ? { knownTotal: total.count } : {};
        let found: LocateOutput;
        try {
          found = await locate({ sort, direction, search, filters, target, pageSize, ...knownTotal });
        } catch (error) {
          if (seq !== requestSeq) return null;
          const apiError = toApiError(error);
          // The rows on screen are the previous listing's (a search typed, a sort changed, just
          // before Go to): show the new listing's first page, then say why Go to failed.
          if (listingChanged) await go({ seq, position: { kind: 'first' }, withTotal: true, firstRow: () => FIRST_ROW });
          else set({ loading: false });
          return apiError;
        }
        if (seq !== requestSeq) return null;
        const landed: FirstRow = { row: found.row, approximate: found.approximate };
        await go({
          seq,
          position: { kind: 'at', cursor: found.cursor },
          // The total is kept unless the search just changed with it (typed, not yet debounced).
          withTotal: total === null || listingChanged,
          firstRow: (page) => (page.previousCursor === null ? FIRST_ROW : landed),
          // A row found by its id is the row the admin asked for: mark it (the lists key rows by id).
          with: { located: found.message, highlight: target.kind === 'id' ? (target.id as unknown as Key) : null },
        });
        return null;
      },

      adoptTotal: (total) => {
        // It is this listing's (the caller checked): the total on screen is current again.
        totalStale = false;
        const { firstRow, rows, nextCursor } = get();
        set({ total: reconcileTotal(total, firstRow, rows.length, nextCursor !== null) });
      },

      reset: () => {
        ++requestSeq;
        totalStale = false;
        clearTimeout(searchTimer);
        set(initial);
      },
    };
  });
}
