import { createExactCountStore, exactCountView } from '../../lib/exactCountStore';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';
import { ListTotal } from '../../ui/ListTotal';
import { productsTotalText } from './productText';
import { productSelection, useProductsStore, type ProductFilters } from './productsStore';

const listingKey = (search: string, filters: ProductFilters) => JSON.stringify({ search, ...productSelection(filters) });

/** "Count exactly" on the Products screen: `products.count` of the search and owner filter shown. */
export const useProductsExactCountStore = createExactCountStore<ProductFilters>({
  list: useProductsStore,
  count: (search, filters) => api.products.count({ search, ...productSelection(filters) }),
  key: listingKey,
});

/**
 * The Products screen's total: a finished count of this very listing replaces the list's
 * estimate; nothing ever says fewer products than are shown.
 */
export function ProductsTotal() {
  const total = useProductsStore((s) => s.total);
  const search = useProductsStore((s) => s.search);
  const filters = useProductsStore((s) => s.filters);
  const visible = useProductsStore((s) => (s.firstRow.row === null || s.firstRow.approximate ? s.rows.length : s.firstRow.row + s.rows.length - 1));
  const { request, starting, startError, start } = useProductsExactCountStore();
  const job = useJobsStore((s) => (request ? s.jobs[request.jobId] : undefined));
  const view = exactCountView(request, job, listingKey(search, filters));
  const shown = view.kind === 'counted' ? view.total : total;
  return (
    <ListTotal
      total={shown && shown.count < visible ? { ...shown, count: visible } : shown}
      text={productsTotalText}
      view={view}
      starting={starting}
      startError={startError}
      onCount={() => void start(search, filters)}
    />
  );
}
