import type { ProductSortKey } from '../../shared/contract';
import { orderBy, whereClause } from '../lists/keyset';
import { PRODUCTS, productSelection } from '../products/list';
import type { ExportQuery } from './copy-out';

type ProductSelectionInput = Parameters<typeof productSelection>[0];

/**
 * The products an export writes: the list's search and owner filter, in the list's order, with
 * the owner as id and as email (an id means nothing in another database; an import matches the
 * email).
 */
export function productExportQuery(input: ProductSelectionInput & { sort: ProductSortKey; direction: 'asc' | 'desc' }): ExportQuery {
  const selection = productSelection(input);
  return {
    text: `SELECT p.id, p.name, p.owner_id, u.email AS owner_email FROM products p LEFT JOIN users u ON u.id = p.owner_id${whereClause(selection.conditions)} ORDER BY ${orderBy(PRODUCTS.sorts[input.sort], PRODUCTS.id, input.direction)}`,
    values: selection.values,
  };
}
