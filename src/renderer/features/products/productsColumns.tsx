import type { Product, ProductSortKey } from '../../../shared/contract';
import { actionsColumn, type RowAction } from '../../ui/actionsColumn';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';
import { openUser } from '../users/openUser';

export type ProductColumn = DataTableColumn<Product, ProductSortKey>;

/** The id, sortable. */
export const productIdColumn: ProductColumn = { id: 'id', header: 'ID', sortKey: 'id', className: 'col-id', cell: (product) => product.id };

/** The name, sortable; a NULL name (stored by another tool) is said as such, never as an empty cell. */
export const productNameColumn: ProductColumn = {
  id: 'name',
  header: 'Name',
  sortKey: 'name',
  className: 'col-product-name',
  cell: (product) => (product.name === null ? <span className="muted no-value">(no name)</span> : <TruncatedText text={product.name} />),
};

/** The id of the hidden note that tells what an owner's button does. */
export const OPEN_OWNER_HINT_ID = 'products-open-owner-hint';

/**
 * The owner: their email and name as a button that opens them on the Users screen (with their
 * products), or a muted "(no owner)".
 */
export const productOwnerColumn: ProductColumn = {
  id: 'owner',
  header: 'Owner',
  className: 'col-product-owner',
  cell: ({ owner }) =>
    owner ? (
      <div className="owner-cell">
        <button
          type="button"
          className="link-button"
          title={`Open ${owner.email} on the Users screen`}
          aria-describedby={OPEN_OWNER_HINT_ID}
          onClick={() => openUser(owner.id)}
        >
          {owner.email}
        </button>{' '}
        <span className="owner-name" title={owner.name}>
          {owner.name}
        </span>
      </div>
    ) : (
      <span className="muted no-value">(no owner)</span>
    ),
};

/**
 * A column of row buttons ("Edit product #12"). On a read-only connection they stay (focusable, so
 * the reason is read with them) but do nothing; `readOnlyReasonId` names the note on screen that says why.
 */
export function productActionsColumn(actions: readonly RowAction<Product>[], readOnlyReasonId?: string): ProductColumn {
  return actionsColumn(actions, { className: 'col-product-actions', rowName: (product) => `product #${product.id}`, readOnlyReasonId });
}
