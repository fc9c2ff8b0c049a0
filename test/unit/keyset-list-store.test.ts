import { describe, expect, it } from 'vitest';
import { createKeysetListStore, type KeysetPage, type KeysetQuery } from '../../src/renderer/lib/keysetListStore';

// The store's arithmetic (row numbers, totals) over a table kept in memory that pages by id the
// way the server's contract says: rows in order, previous/next cursors, an exact total on request.
function table(count: number) {
  let ids = Array.from({ length: count }, (_, i) => i + 1);
  async function fetchPage(query: KeysetQuery<'id', 25, null>): Promise<KeysetPage<{ id: number }>> {
    let start = 0;
    if (query.after) start = ids.findIndex((id) => id > Number(query.after));
    if (query.at) start = ids.findIndex((id) => id >= Number(query.at));
    if (query.before) start = Math.max(0, ids.findIndex((id) => id >= Number(query.before)) - query.pageSize);
    if (query.from === 'last' && !query.after && !query.at && !query.before) start = Math.max(0, ids.length - query.pageSize);
    if (start < 0) start = ids.length;
    const rows = ids.slice(start, start + query.pageSize).map((id) => ({ id }));
    return {
      rows,
      nextCursor: start + query.pageSize < ids.length ? String(rows.at(-1)!.id) : null,
      previousCursor: start > 0 && rows.length ? String(rows[0]!.id) : start > 0 ? String(ids.at(-1)) : null,
      total: query.withTotal ? { count: ids.length, estimated: false } : null,
      searchNote: null,
    };
  }
  return { fetchPage, remove: (predicate: (id: number) => boolean) => (ids = ids.filter((id) => !predicate(id))) };
}

function listOf(count: number) {
  const data = table(count);
  const store = createKeysetListStore<{ id: number }, 'id', 25, null, number>({
    fetchPage: data.fetchPage,
    defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: null },
  });
  return { store, data };
}

async function settled(store: ReturnType<typeof listOf>['store']): Promise<void> {
  await expect.poll(() => store.getState().loading).toBe(false);
}

describe('the keyset list store after a write', () => {
  it('deleting every row from the last page says 0, not the old row number', async () => {
    const { store, data } = listOf(60);
    await store.getState().load();
    store.getState().next();
    await settled(store);
    store.getState().next();
    await settled(store);
    expect(store.getState().firstRow).toEqual({ row: 51, approximate: false });
    data.remove(() => true);
    await store.getState().refresh();
    expect(store.getState().rows).toEqual([]);
    expect(store.getState().total).toEqual({ count: 0, estimated: false });
  });

  it('rows deleted in front of the page: the counted total stands and the row number gives way', async () => {
    const { store, data } = listOf(75);
    await store.getState().load();
    store.getState().next();
    await settled(store);
    store.getState().next();
    await settled(store);
    data.remove((id) => id <= 30);
    await store.getState().refresh();
    const { total, firstRow, rows } = store.getState();
    expect(total).toEqual({ count: 45, estimated: false });
    expect(rows).toHaveLength(25);
    expect(firstRow.approximate).toBe(true);
    expect(firstRow.row! + rows.length - 1).toBeLessThanOrEqual(45);
  });

  it("a Go to while a new filter is still loading neither sends nor keeps the previous listing's total", async () => {
    const data = table(60);
    let hold: (() => void) | null = null;
    const located: unknown[] = [];
    const store = createKeysetListStore<{ id: number }, 'id', 25, null, number>({
      fetchPage: async (query) => {
        // The first page of the new listing is slow (a time-boxed count on a big table).
        if (query.withTotal && hold === null && located.length === 0 && store.getState().total)
          await new Promise<void>((resolve) => (hold = resolve));
        return data.fetchPage(query);
      },
      locate: async (input) => {
        located.push(input);
        return { cursor: '5', row: 5, approximate: false, message: 'Row 5' };
      },
      defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: null },
    });
    await store.getState().load();
    expect(store.getState().total).toEqual({ count: 60, estimated: false });
    store.getState().setFilters(null);
    await expect.poll(() => hold !== null).toBe(true);
    const going = store.getState().locate({ kind: 'row', row: 5 });
    await going;
    expect(located[0]).not.toHaveProperty('knownTotal');
    (hold as unknown as () => void)();
  });

  it('an exact count adopted while Next is on its way is not put back to the estimate', async () => {
    const data = table(60);
    let hold: (() => void) | null = null;
    const store = createKeysetListStore<{ id: number }, 'id', 25, null, number>({
      fetchPage: async (query) => {
        const page = await data.fetchPage(query);
        if (query.after) await new Promise<void>((resolve) => (hold = resolve));
        // A big table's first answer: the planner's estimate.
        return { ...page, total: page.total && { count: 100, estimated: true } };
      },
      defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: null },
    });
    await store.getState().load();
    expect(store.getState().total).toEqual({ count: 100, estimated: true });
    store.getState().next();
    await expect.poll(() => hold !== null).toBe(true);
    store.getState().adoptTotal({ count: 60, estimated: false });
    (hold as unknown as () => void)();
    await settled(store);
    expect(store.getState().total).toEqual({ count: 60, estimated: false });
  });

  it('a refresh overtaken by a new search with no matches leaves the new search where it landed', async () => {
    const data = table(60);
    let hold: (() => void) | null = null;
    const store = createKeysetListStore<{ id: number }, 'id', 25, null, number>({
      fetchPage: async (query) => {
        // The refresh of page 2 is slow; the search that follows answers at once, with no rows.
        if (query.after && query.withTotal) await new Promise<void>((resolve) => (hold = resolve));
        if (query.search) return { rows: [], nextCursor: null, previousCursor: null, total: { count: 0, estimated: false }, searchNote: null };
        return data.fetchPage(query);
      },
      defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: null },
      searchDebounceMs: 0,
    });
    await store.getState().load();
    store.getState().next();
    await settled(store);
    const refreshing = store.getState().refresh();
    await expect.poll(() => hold !== null).toBe(true);
    store.getState().setSearchText('nobody');
    await expect.poll(() => store.getState().search).toBe('nobody');
    await settled(store);
    (hold as unknown as () => void)();
    await refreshing;
    await settled(store);
    expect(store.getState().position).toEqual({ kind: 'first' });
    expect(store.getState().rows).toEqual([]);
    expect(store.getState().total).toEqual({ count: 0, estimated: false });
  });

  it('Previous from a row number that came from statistics says it is not known rather than ≈1 again and again', async () => {
    const data = table(1000);
    const store = createKeysetListStore<{ id: number }, 'id', 25, null, number>({
      fetchPage: data.fetchPage,
      // The planner placed row 600 at about row 30.
      locate: async () => ({ cursor: '600', row: 30, approximate: true, message: 'About row 30' }),
      defaults: { pageSize: 25, sort: 'id', direction: 'asc', filters: null },
    });
    await store.getState().load();
    await store.getState().locate({ kind: 'row', row: 30 });
    expect(store.getState().firstRow).toEqual({ row: 30, approximate: true });
    store.getState().previous();
    await settled(store);
    expect(store.getState().firstRow).toEqual({ row: 5, approximate: true });
    store.getState().previous();
    await settled(store);
    expect(store.getState().previousCursor).not.toBeNull();
    expect(store.getState().firstRow.row).toBeNull();
  });
});
