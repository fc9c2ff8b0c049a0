import type { Product, ProductSortKey } from '../../../shared/contract';
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

interface RowAction {
  /** The button's text ("Edit"); its name adds the product ("Edit product #12"). */
  label: string;
  run: (product: Product) => void;
  tone?: 'danger';
}

/**
 * A column of row buttons. On a read-only connection they stay (focusable, so the reason is read
 * with them) but do nothing; `readOnlyReasonId` names the note on screen that says why.
 */
export function productActionsColumn(actions: readonly RowAction[], readOnlyReasonId?: string): ProductColumn {
  const readOnly = readOnlyReasonId !== undefined;
  return {
    id: 'actions',
    header: 'Actions',
    className: 'col-product-actions',
    cell: (product) => (
      <>
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className={action.tone === 'danger' ? 'button button-small button-danger-quiet' : 'button button-small'}
            aria-label={`${action.label} product #${product.id}`}
            aria-disabled={readOnly || undefined}
            aria-describedby={readOnlyReasonId}
            onClick={() => {
              if (!readOnly) action.run(product);
            }}
          >
            {action.label}
          </button>
        ))}
      </>
    ),
  };
}
