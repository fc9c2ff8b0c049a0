import { useEffect, useMemo, useRef, useState } from 'react';
import type { Product } from '../../../shared/contract';
import { selectPendingMigrations, useAppInfoStore } from '../../lib/appInfoStore';
import { countOf } from '../../lib/format/count';
import { toast } from '../../lib/toastStore';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { GoToForm } from '../../ui/GoToForm';
import { KeysetPager } from '../../ui/KeysetPager';
import { ReadOnlyNote } from '../../ui/ReadOnlyNote';
import { ListEmptyState } from '../../ui/ListEmptyState';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { DeleteProductDialog } from './DeleteProductDialog';
import { ProductFormDialog } from './ProductFormDialog';
import { productGoToModes } from './productGoTo';
import { OPEN_OWNER_HINT_ID, productActionsColumn, productIdColumn, productNameColumn, productOwnerColumn } from './productsColumns';
import { useProductsStore, type ProductFilters } from './productsStore';
import { isSearchError, ProductsToolbar, type OwnerMode } from './ProductsToolbar';
import { capitalized, productLabel } from './productText';
import { productsWritten } from './countsAfterWrites';
import { ProductsTotal } from './ProductsTotal';

type OpenDialog = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; product: Product } | { kind: 'delete'; product: Product };

/**
 * The products screen: every product, with its owner. Until the schema is current it says so
 * instead of listing: every products.* call would only answer SCHEMA.
 */
export function ProductsScreen() {
  const info = useAppInfoStore((s) => s.info);
  const pending = useAppInfoStore(selectPendingMigrations);
  if (!info) return null;
  return (
    <section className="screen" aria-labelledby="products-heading">
      <h2 id="products-heading" className="screen-title">
        Products
      </h2>
      {pending.length > 0 ? <SchemaBehind count={pending.length} /> : <ProductsPanel />}
    </section>
  );
}

function SchemaBehind({ count }: { count?: number }) {
  return (
    <p className="schema-behind">
      {count
        ? `This database needs ${countOf(count, 'migration')} before products can be shown. Apply ${count === 1 ? 'it' : 'them'} above to continue.`
        : 'This database schema is older than this version of Simple DB needs. Apply the pending migrations to continue.'}
    </p>
  );
}

const READ_ONLY_REASON_ID = 'products-readonly-reason';

/** What an empty list says. A page not at an end of the order (Go to past the end) is empty only from there on. */
function emptyText(search: string, filters: ProductFilters, readOnly: boolean, pastStart: boolean): string {
  const owner = filters.owner;
  if (pastStart) return search || owner.kind !== 'any' ? 'No matching products at or after this point.' : 'No products at or after this point.';
  const whose = owner.kind === 'none' ? 'unowned products' : owner.kind === 'user' ? `products owned by ${owner.user.email}` : 'products';
  if (search) return filters.match === 'id' ? `No ${whose} with id ${search}.` : `No ${whose} match “${search}”.`;
  if (owner.kind !== 'any') return `No ${whose}.`;
  return readOnly ? 'No products yet.' : 'No products yet. Create the first one.';
}

function ProductsPanel() {
  const { name, readOnly } = useCurrentConnectionView();
  const readOnlyReasonId = readOnly ? READ_ONLY_REASON_ID : undefined;
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const tableRegionRef = useRef<HTMLDivElement>(null);
  const rows = useProductsStore((s) => s.rows);
  const loading = useProductsStore((s) => s.loading);
  const error = useProductsStore((s) => s.error);
  const search = useProductsStore((s) => s.search);
  const filters = useProductsStore((s) => s.filters);
  const total = useProductsStore((s) => s.total);
  const sort = useProductsStore((s) => s.sort);
  const direction = useProductsStore((s) => s.direction);
  const nextCursor = useProductsStore((s) => s.nextCursor);
  const previousCursor = useProductsStore((s) => s.previousCursor);
  const firstRow = useProductsStore((s) => s.firstRow);
  const pastStart = useProductsStore((s) => s.position.kind !== 'first' && s.position.kind !== 'last');
  const searchNote = useProductsStore((s) => s.searchNote);
  const highlight = useProductsStore((s) => s.highlight);
  const located = useProductsStore((s) => s.located);
  const { load, refresh, toggleSort, next, previous, first, last } = useProductsStore.getState();
  // "A user…" is shown as soon as it is picked, before a user is. Until one is, the rows of the
  // previous filter are not shown as if they were this one's: the list waits for the choice.
  const [ownerMode, setOwnerMode] = useState<OwnerMode>(filters.owner.kind);
  const [appliedOwner, setAppliedOwner] = useState(filters.owner.kind);
  if (filters.owner.kind !== appliedOwner) {
    // The filter changed (a user chosen, another database): the choice shown follows it.
    setAppliedOwner(filters.owner.kind);
    setOwnerMode(filters.owner.kind);
  }
  const choosingUser = ownerMode === 'user' && filters.owner.kind !== 'user';
  // The last Go to had to sort by name first: its outcome says so.
  const [resortedByName, setResortedByName] = useState(false);

  useEffect(() => {
    void useProductsStore.getState().load();
  }, []);

  // SCHEMA means the database changed under us (or app info is stale): ask again, so the
  // migrations banner appears and this panel gives way to its message.
  const schemaBehind = error?.code === 'SCHEMA';
  useEffect(() => {
    if (schemaBehind) void useAppInfoStore.getState().load();
  }, [schemaBehind]);

  const columns = useMemo(
    () => [
      productIdColumn,
      productNameColumn,
      productOwnerColumn,
      productActionsColumn(
        [
          { label: 'Edit', run: (product) => setDialog({ kind: 'edit', product }) },
          { label: 'Delete', tone: 'danger', run: (product) => setDialog({ kind: 'delete', product }) },
        ],
        readOnlyReasonId,
      ),
    ],
    [readOnlyReasonId],
  );

  const close = () => setDialog({ kind: 'none' });

  async function saved(product: Product, created: boolean): Promise<void> {
    close();
    // A count taken before the write is no longer the answer (here, or of users filtered by what they own).
    productsWritten();
    await refresh(product.id);
    const visible = useProductsStore.getState().rows.some((row) => row.id === product.id);
    const what = `${created ? 'Created' : 'Saved'} ${productLabel(product)}`;
    toast(visible ? `${what}.` : `${what}. It is not on this page of the list.`);
  }

  async function deleted(product: Product, already: boolean): Promise<void> {
    close();
    productsWritten();
    toast(already ? `${capitalized(productLabel(product))} was already deleted.` : `Deleted ${productLabel(product)}.`);
    await refresh();
    // The row (and its Delete button, which had focus) is gone: keep focus in the list.
    tableRegionRef.current?.focus();
  }

  const pager = {
    hasPrevious: previousCursor !== null,
    hasNext: nextCursor !== null,
    busy: loading,
    onFirst: first,
    onPrevious: previous,
    onNext: next,
    onLast: last,
  };
  // `total` is null until a page has arrived: no "No products yet" flash before the first answer.
  const showEmpty = !loading && !error && total !== null && rows.length === 0;
  return (
    <>
      <ProductsToolbar
        onNewProduct={() => setDialog({ kind: 'create' })}
        ownerMode={ownerMode}
        onOwnerModeChange={setOwnerMode}
        readOnlyReasonId={readOnlyReasonId}
      />
      {readOnly && <ReadOnlyNote id={READ_ONLY_REASON_ID} name={name} />}
      {/* While "A user…" waits for its user, no rows are shown: nothing to go to. */}
      {!choosingUser && (
        <GoToForm
          label="Go to a product"
          modes={productGoToModes}
          outcome={located && resortedByName ? `Sorted by name to go there. ${located}` : located}
          onGo={async (mode, target) => {
            // A name is found in the name order: sort by name first when the list is in id order, and say so.
            const resort = mode.id === 'name' && useProductsStore.getState().sort !== 'name';
            if (resort) toggleSort('name');
            const result = await useProductsStore.getState().locate(target);
            setResortedByName(resort);
            return result;
          }}
        />
      )}
      {schemaBehind ? (
        <SchemaBehind />
      ) : (
        error && !isSearchError(error) && <ErrorAlert title="Could not load products" message={error.message} onRetry={() => void load()} />
      )}
      {searchNote && (
        <p className="field-hint search-note" role="note">
          {searchNote}
        </p>
      )}
      <p id={OPEN_OWNER_HINT_ID} hidden>
        Opens this user on the Users screen, with their products.
      </p>
      {choosingUser ? (
        <p className="empty-state">Choose a user to filter by: the list shows their products once one is chosen.</p>
      ) : (
        <>
          <KeysetPager label="Pages, above the table" {...pager} range={{ firstRow, rows: rows.length }}>
            <ProductsTotal />
            {/* Always in the page, its text changing: a status region inserted already filled is often not read out. */}
            <span role="status" className="loading">
              {loading ? 'Loading products…' : ''}
            </span>
          </KeysetPager>
          <div className="products-table">
            <DataTable
              label="Products"
              columns={columns}
              rows={rows}
              rowKey={(product) => product.id}
              sort={{ key: sort, direction }}
              onSort={toggleSort}
              highlightKey={highlight}
              busy={loading}
              regionRef={tableRegionRef}
            />
          </div>
          {showEmpty && <ListEmptyState text={emptyText(search, filters, readOnly, pastStart)} pastStart={pastStart} onFirst={first} />}
          <KeysetPager label="Pages, below the table" {...pager} />
        </>
      )}

      {(dialog.kind === 'create' || dialog.kind === 'edit') && (
        <ProductFormDialog
          // A new key per target, so reopening never shows the previous product's edits.
          key={dialog.kind === 'edit' ? `edit-${dialog.product.id}` : 'create'}
          product={dialog.kind === 'edit' ? dialog.product : null}
          onCancel={close}
          onStale={() => void refresh()}
          onSaved={(product, created) => void saved(product, created)}
        />
      )}
      {dialog.kind === 'delete' && (
        <DeleteProductDialog
          key={dialog.product.id}
          product={dialog.product}
          onCancel={close}
          onDeleted={(product) => void deleted(product, false)}
          onGone={(product) => void deleted(product, true)}
        />
      )}
    </>
  );
}
