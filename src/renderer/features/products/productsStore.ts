import type { Product, ProductOwnerFilter, ProductSortKey } from '../../../shared/contract';
import { api } from '../../lib/api';
import { resetOnSwitch } from '../../lib/currentConnection';
import { createKeysetListStore, type PageSize } from '../../lib/keysetListStore';

// The page sizes are every list's (lib/keysetListStore); ProductsToolbar still takes the check from here.

/** A user as the products screens show them (an owner, a choice in the owner picker). */
export interface OwnerSummary {
  id: number;
  email: string;
  name: string;
}

export type ProductMatch = 'contains' | 'id';

/**
 * Whose products the list shows. Unlike the contract's filter, a chosen user is kept whole (email
 * and name, not only the id), so the Owner filter can say who it is after the screen is left and
 * opened again without asking the server.
 */
export type OwnerFilter = { kind: 'any' } | { kind: 'none' } | { kind: 'user'; user: OwnerSummary };

export interface ProductFilters {
  /** How the search box's text is matched: anywhere in the name, or an exact product id. */
  match: ProductMatch;
  owner: OwnerFilter;
}

export const DEFAULT_PRODUCT_FILTERS: ProductFilters = { match: 'contains', owner: { kind: 'any' } };

function ownerFilterInput(owner: OwnerFilter): ProductOwnerFilter {
  return owner.kind === 'user' ? { kind: 'user', userId: owner.user.id } : owner;
}

/** What `products.list`, `products.locate` and `products.count` need of the filters: the match mode and whose products. */
export function productSelection(filters: ProductFilters): { match: ProductMatch; owner: ProductOwnerFilter } {
  return { match: filters.match, owner: ownerFilterInput(filters.owner) };
}

export type ProductsListStore = ReturnType<typeof createProductsListStore>;

/**
 * One keyset-paged products list: the Products screen's, or one user's in their panel. Each has its
 * own store, so paging a user's products never moves the Products screen's place.
 */
export function createProductsListStore(defaults: { filters: ProductFilters; pageSize?: PageSize }) {
  return createKeysetListStore<Product, ProductSortKey, PageSize, ProductFilters, number>({
    fetchPage: ({ filters, ...query }) => api.products.list({ ...query, ...productSelection(filters) }),
    // The whole input goes on (its knownTotal and pageSize too): typed by createKeysetListStore.
    locate: ({ filters, ...input }) => api.products.locate({ ...input, ...productSelection(filters) }),
    defaults: { pageSize: defaults.pageSize ?? 25, sort: 'id', direction: 'asc', filters: defaults.filters },
  });
}

/** The Products screen's list: highlighted rows by product id. */
export const useProductsStore = createProductsListStore({ filters: DEFAULT_PRODUCT_FILTERS });

// Another database in this window: its products (and the owner chosen in the filter) are not these.
resetOnSwitch(() => useProductsStore.getState().reset());
