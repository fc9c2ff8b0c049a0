import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Product } from '../../../shared/contract';
import { api } from '../../lib/api';
import { resetOnSwitch } from '../../lib/currentConnection';
import { toast } from '../../lib/toastStore';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { GuardedButton } from '../../ui/GuardedButton';
import { KeysetPager } from '../../ui/KeysetPager';
import { ReadOnlyNote } from '../../ui/ReadOnlyNote';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { useUsersStore } from '../users/usersStore';
import { ProductFormDialog } from './ProductFormDialog';
import { ReassignDialog } from './ReassignDialog';
import { productActionsColumn, productIdColumn, productNameColumn } from './productsColumns';
import { createProductsListStore } from './productsStore';
import { capitalized, productLabel, productsTotalText } from './productText';
import { productsWritten } from './countsAfterWrites';

interface UserProductsPanelProps {
  user: { id: number; email: string; name: string };
  onClose: () => void;
}

type OpenDialog = { kind: 'none' } | { kind: 'add' } | { kind: 'reassign'; product: Product } | { kind: 'unassign'; product: Product };

/**
 * One user's products (the seed's relation seen from the user), paged like every list: add one
 * owned by them, give one to someone else, or leave one without an owner. The list is asked for
 * again after each change, so what is shown is what the database holds.
 */
export function UserProductsPanel({ user, onClose }: UserProductsPanelProps) {
  // Another user is another list from its first page, never the last user's rows for a moment.
  return <UserProducts key={user.id} user={user} onClose={onClose} />;
}

/**
 * Who owns products changed: a Users list filtered by "Owns some" or "Owns none" (beside this
 * panel) is stale, and so is its count.
 */
function ownersChanged(): void {
  productsWritten();
  const users = useUsersStore.getState();
  if (users.filters.products === 'any') return;
  void users.refresh(users.highlight);
}

function UserProducts({ user, onClose }: UserProductsPanelProps) {
  // Its own list store per user shown: paging here never moves the Products screen's place.
  const [useStore] = useState(() => createProductsListStore({ filters: { match: 'contains', owner: { kind: 'user', user } } }));
  const { name: connectionName, readOnly } = useCurrentConnectionView();
  const headingId = useId();
  const readOnlyReasonId = readOnly ? `${headingId}-readonly` : undefined;
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const tableRegionRef = useRef<HTMLDivElement>(null);
  const rows = useStore((s) => s.rows);
  const loading = useStore((s) => s.loading);
  const error = useStore((s) => s.error);
  const total = useStore((s) => s.total);
  const sort = useStore((s) => s.sort);
  const direction = useStore((s) => s.direction);
  const nextCursor = useStore((s) => s.nextCursor);
  const previousCursor = useStore((s) => s.previousCursor);
  const firstRow = useStore((s) => s.firstRow);
  const highlight = useStore((s) => s.highlight);
  const { load, refresh, toggleSort, next, previous, first, last } = useStore.getState();

  useEffect(() => {
    void useStore.getState().load();
    // Another database in this window: this user's products there are not these (nor in flight).
    const stop = resetOnSwitch(() => useStore.getState().reset());
    return () => {
      stop();
      useStore.getState().reset();
    };
  }, [useStore]);

  const columns = useMemo(
    () => [
      productIdColumn,
      productNameColumn,
      productActionsColumn(
        [
          { label: 'Reassign', run: (product) => setDialog({ kind: 'reassign', product }) },
          { label: 'Unassign', run: (product) => setDialog({ kind: 'unassign', product }) },
        ],
        readOnlyReasonId,
      ),
    ],
    [readOnlyReasonId],
  );

  const close = () => setDialog({ kind: 'none' });

  /** After a product left this user: the list has one row fewer, and focus stays in it. */
  async function movedAway(message: string): Promise<void> {
    close();
    toast(message);
    ownersChanged();
    await refresh();
    tableRegionRef.current?.focus();
  }

  async function added(product: Product): Promise<void> {
    close();
    ownersChanged();
    await refresh(product.id);
    const visible = useStore.getState().rows.some((row) => row.id === product.id);
    toast(`Added ${productLabel(product)} to ${user.email}${visible ? '' : '. It is not on this page of the list'}.`);
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
  const showEmpty = !loading && !error && total !== null && rows.length === 0;
  return (
    <section className="panel user-products" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId} className="section-title">
          Products of {user.email}
        </h3>
        <button type="button" className="button button-small" aria-label={`Close the products of ${user.email}`} onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted user-products-who">
        {user.name} · user #{user.id}
      </p>
      <div className="toolbar">
        <div className="toolbar-spacer" />
        <GuardedButton className="button button-primary" unavailableReasonId={readOnlyReasonId} onClick={() => setDialog({ kind: 'add' })}>
          Add product
        </GuardedButton>
      </div>
      {readOnlyReasonId && <ReadOnlyNote id={readOnlyReasonId} name={connectionName} />}
      {error && <ErrorAlert title={`Could not load the products of ${user.email}`} message={error.message} onRetry={() => void load()} />}
      <KeysetPager label={`Pages of ${user.email}'s products`} {...pager} range={{ firstRow, rows: rows.length }}>
        {total && <span className="list-total-text">{productsTotalText(total)}</span>}
        {/* Always in the page, its words changing: a live region added already filled is often not read. */}
        <span role="status" className="loading">
          {loading ? 'Loading products…' : ''}
        </span>
      </KeysetPager>
      <DataTable
        label={`Products of ${user.email}`}
        columns={columns}
        rows={rows}
        rowKey={(product) => product.id}
        sort={{ key: sort, direction }}
        onSort={toggleSort}
        highlightKey={highlight}
        busy={loading}
        regionRef={tableRegionRef}
      />
      {showEmpty && <p className="empty-state">{user.email} owns no products.</p>}

      {dialog.kind === 'add' && <ProductFormDialog product={null} fixedOwner={user} onCancel={close} onSaved={(product) => void added(product)} />}
      {dialog.kind === 'reassign' && (
        <ReassignDialog
          key={dialog.product.id}
          product={dialog.product}
          from={user}
          onCancel={close}
          onGone={() => void movedAway(`${capitalized(productLabel(dialog.product))} no longer exists; it may have been deleted elsewhere.`)}
          onReassigned={(product) =>
            void movedAway(`${capitalized(productLabel(product))} now belongs to ${product.owner ? product.owner.email : 'nobody'}.`)
          }
        />
      )}
      {dialog.kind === 'unassign' && (
        <ConfirmDialog
          title="Unassign product"
          action={{ label: 'Unassign', tone: 'primary' }}
          busyText="Unassigning…"
          run={async () => {
            const product = await api.products.update({ id: dialog.product.id, ownerId: null });
            await movedAway(`${capitalized(productLabel(product))} no longer has an owner.`);
          }}
          onFailed={(failure) => {
            if (failure.code !== 'NOT_FOUND' || failure.field) return false;
            void movedAway(`${capitalized(productLabel(dialog.product))} no longer exists; it may have been deleted elsewhere.`);
            return true;
          }}
          onCancel={close}
        >
          <p>
            Leave {productLabel(dialog.product)} without an owner? It stays in Products, listed as unowned; {user.email} no longer owns it.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
