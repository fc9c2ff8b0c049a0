import { api } from '../../lib/api';
import { createExactCountStore, useShownTotal } from '../../lib/exactCountStore';
import { ListTotal } from '../../ui/ListTotal';
import { productsTotalText } from './productText';
import { productSelection, useProductsStore, type ProductFilters } from './productsStore';

/** Which products the list shows, as one comparable key; without a search the match mode changes nothing. */
const listingKey = (search: string, filters: ProductFilters) => {
  const { match, owner } = productSelection(filters);
  return JSON.stringify({ search, match: search ? match : null, owner });
};

/** "Count exactly" on the Products screen: `products.count` of the search and owner filter shown. */
export const useProductsExactCountStore = createExactCountStore<ProductFilters>({
  list: useProductsStore,
  count: (search, filters) => api.products.count({ search, ...productSelection(filters) }),
  key: listingKey,
});

/** The products total to show: the exact count of this very listing once counted, never fewer than the rows shown. */
export function useShownProductsTotal(): ReturnType<typeof useShownTotal> {
  return useShownTotal(useProductsStore, useProductsExactCountStore, listingKey);
}

/** "12 products", or "about 1,200 products" with "Count exactly" (see ListTotal). */
export function ProductsTotal() {
  const { total, view } = useShownProductsTotal();
  const search = useProductsStore((s) => s.search);
  const filters = useProductsStore((s) => s.filters);
  const starting = useProductsExactCountStore((s) => s.starting);
  const startError = useProductsExactCountStore((s) => s.startError);
  const start = useProductsExactCountStore((s) => s.start);
  return (
    <ListTotal
      total={total}
      text={productsTotalText}
      view={view}
      starting={starting}
      startError={startError}
      onCount={() => void start(search, filters)}
    />
  );
}
