import { PAGE_SIZES, SEARCH_MAX } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { ProductsTransfer } from '../transfer/ProductsTransfer';
import { OwnerPicker } from './OwnerPicker';
import { isPageSize } from '../../lib/keysetListStore';
import { useProductsStore, type ProductMatch } from './productsStore';

export type OwnerMode = 'any' | 'none' | 'user';

interface ProductsToolbarProps {
  onNewProduct: () => void;
  /** The Owner choice as shown: "A user…" may be chosen before a user is (the screen then lists nothing). */
  ownerMode: OwnerMode;
  onOwnerModeChange: (mode: OwnerMode) => void;
  /** Set on a read-only connection: "New product" does nothing, described by the note this id names. */
  readOnlyReasonId?: string;
}

const MATCH_PLACEHOLDER: Record<ProductMatch, string> = {
  contains: 'Part of a name',
  id: 'A product id, e.g. 42',
};

const SEARCH_ERROR_ID = 'products-search-error';

/** The server's refusal of what is in the search box (say, text when matching an id): said at the box, not above the table. */
export function isSearchError(error: ApiError | null): boolean {
  return error?.code === 'VALIDATION' && error.field === 'search';
}

/** Search (with how it matches), the Owner filter, page size, CSV export and import, and "New product" above the products table. */
export function ProductsToolbar({ onNewProduct, ownerMode, onOwnerModeChange, readOnlyReasonId }: ProductsToolbarProps) {
  const readOnly = readOnlyReasonId !== undefined;
  const searchText = useProductsStore((s) => s.searchText);
  const pageSize = useProductsStore((s) => s.pageSize);
  const filters = useProductsStore((s) => s.filters);
  const error = useProductsStore((s) => s.error);
  const searchError = error && isSearchError(error) ? error.message : null;
  const { setSearchText, setPageSize, setFilters } = useProductsStore.getState();
  const chosenUser = filters.owner.kind === 'user' ? filters.owner.user : null;

  return (
    <div className="toolbar products-toolbar">
      <div className="toolbar-field toolbar-search">
        <label htmlFor="products-search" className="field-label">
          Search products
        </label>
        <input
          id="products-search"
          type="search"
          className="input"
          placeholder={MATCH_PLACEHOLDER[filters.match]}
          value={searchText}
          maxLength={SEARCH_MAX}
          inputMode={filters.match === 'id' ? 'numeric' : undefined}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={searchError ? true : undefined}
          aria-describedby={searchError ? SEARCH_ERROR_ID : undefined}
          onChange={(event) => setSearchText(event.target.value)}
        />
        {/* Always in the page: the error arrives after the debounce, while the admin types, and a live region inserted already filled is often not read out. */}
        <p id={SEARCH_ERROR_ID} className="field-error" aria-live="polite">
          {searchError ?? ''}
        </p>
      </div>
      <div className="toolbar-field">
        <label htmlFor="products-match" className="field-label">
          Match
        </label>
        <select
          id="products-match"
          className="select"
          value={filters.match}
          onChange={(event) => setFilters({ ...filters, match: event.target.value === 'id' ? 'id' : 'contains' })}
        >
          <option value="contains">Name contains</option>
          <option value="id">Product ID is</option>
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor="products-owner" className="field-label">
          Owner
        </label>
        <select
          id="products-owner"
          className="select"
          value={ownerMode}
          onChange={(event) => {
            const mode = event.target.value as OwnerMode;
            onOwnerModeChange(mode);
            if (mode === 'any' || mode === 'none') setFilters({ ...filters, owner: { kind: mode } });
          }}
        >
          <option value="any">Anyone</option>
          <option value="none">Unowned</option>
          <option value="user">A user…</option>
        </select>
      </div>
      {ownerMode === 'user' && (
        <div className="toolbar-field toolbar-owner">
          <OwnerPicker
            id="products-owner-user"
            label="Owned by"
            value={chosenUser}
            hint={chosenUser ? undefined : 'Choose a user to filter by: type part of their email or name, then pick them.'}
            onChange={(user) => {
              if (user) setFilters({ ...filters, owner: { kind: 'user', user } });
            }}
          />
        </div>
      )}
      <div className="toolbar-field">
        <label htmlFor="products-page-size" className="field-label">
          Rows per page
        </label>
        <select
          id="products-page-size"
          className="select"
          value={pageSize}
          onChange={(event) => {
            const size = Number(event.target.value);
            if (isPageSize(size)) setPageSize(size);
          }}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-spacer" />
      <ProductsTransfer choosingOwner={ownerMode === 'user' && !chosenUser} readOnlyReasonId={readOnlyReasonId} />
      <button
        type="button"
        className="button button-primary"
        aria-disabled={readOnly || undefined}
        aria-describedby={readOnlyReasonId}
        onClick={() => {
          if (!readOnly) onNewProduct();
        }}
      >
        New product
      </button>
    </div>
  );
}
