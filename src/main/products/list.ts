import { type LocateOutput, type ProcedureParsedInput, type Product, type ProductListOutput, type ProductSortKey } from '../../shared/contract';
import type { Database } from '../db/connect';
import type { Statement } from '../db/prepared';
import { binder, listPage, pageStatement, type ListSpec, type Selection } from '../lists/keyset';
import { locate } from '../lists/locate';
import { searchNote } from '../lists/search-note';
import { searchedId } from '../lists/typed-id';
import { containsPattern } from '../users/queries';
import { PRODUCT_COLUMNS, PRODUCT_FROM } from './queries';

type ListInput = ProcedureParsedInput<'products.list'>;
type LocateInput = ProcedureParsedInput<'products.locate'>;
type SelectionInput = Pick<ListInput, 'search' | 'match' | 'owner'>;

/**
 * The products list for the keyset engine. Each order is an index walk: the primary key, or
 * ((coalesce(name, '')), id) from the list-indexes migration (unnamed products, which other tools
 * may store, sort first as an empty name, so paging never compares with NULL). The owner comes
 * from a LEFT JOIN on the users' primary key, one lookup per row shown, and only its id, email
 * and name.
 */
export const PRODUCTS: ListSpec<Product, ProductSortKey> = {
  list: 'products',
  from: PRODUCT_FROM,
  countFrom: 'products p',
  table: 'products',
  id: 'p.id',
  columns: PRODUCT_COLUMNS,
  sorts: {
    id: { expression: 'p.id', kind: 'int', cast: 'integer', unique: true, stats: null, label: 'Ids' },
    name: {
      expression: "coalesce(p.name, '')",
      kind: 'text',
      cast: 'varchar',
      unique: false,
      // ANALYZE keeps an expression index's statistics under the index, its column named after the function.
      stats: { relation: 'ix_products_name_id', column: 'coalesce' },
      label: 'Names',
    },
  },
  keyOf: (row, sort) => (sort === 'id' ? row.id : (row.name ?? '')),
  noun: { one: 'product', many: 'products', title: 'Product' },
};

/**
 * The search and owner filter as conditions on `products p`: "contains" on the name (the trigram
 * index), an exact id (the primary key), unowned products (the partial index on id WHERE owner_id
 * IS NULL) or one user's (the owner_id index).
 */
export function productSelection(input: SelectionInput, values: unknown[] = []): Selection {
  const conditions: string[] = [];
  const bind = binder(values);
  let genericSafe = true;
  const keyRanges: NonNullable<Selection['keyRanges']> = {};
  if (input.search) {
    if (input.match === 'id') {
      // As typed or pasted: "#42", "500,000" (see typedId).
      const id = searchedId(input.search, 'product', 'search');
      conditions.push(`p.id = ${bind(id)}::integer`);
      keyRanges.id = { from: id, to: id };
    } else {
      conditions.push(`p.name ILIKE ${bind(containsPattern(input.search))}`);
      genericSafe = false;
    }
  }
  if (input.owner.kind === 'none') conditions.push('p.owner_id IS NULL');
  if (input.owner.kind === 'user') conditions.push(`p.owner_id = ${bind(input.owner.userId)}::integer`);
  return {
    conditions,
    values,
    genericSafe,
    scope: { search: input.search, match: input.search ? input.match : 'contains', owner: input.owner },
    keyRanges,
  };
}

/** The one statement a list page runs for `input`, exactly as `listProducts` runs it (tests EXPLAIN it). */
export function productPageStatement(input: ListInput): Statement {
  return pageStatement(PRODUCTS, input, productSelection(input)).statement;
}

function productSearchNote(db: Database, input: SelectionInput): Promise<string | null> {
  if (!input.search || input.match === 'id') return Promise.resolve(null);
  return searchNote(db, { table: 'products', indexes: ['ix_products_name_trgm'], term: input.search });
}

/** One page of products in one round trip (plus the total, when asked for and the page does not settle it). */
export async function listProducts(db: Database, input: ListInput, options: { countBudgetMs?: number } = {}): Promise<ProductListOutput> {
  const selection = productSelection(input);
  const [page, note] = await Promise.all([listPage(db, PRODUCTS, input, selection, options), productSearchNote(db, input)]);
  return { ...page, searchNote: note };
}

/** Where a products page should start: a product by id, a name prefix or id, or a position. */
export function locateProduct(db: Database, input: LocateInput, options: { countBudgetMs?: number } = {}): Promise<LocateOutput> {
  return locate(db, PRODUCTS, input, productSelection(input), options);
}
