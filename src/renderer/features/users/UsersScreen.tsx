import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Total, User, UserBulkSelection, UserDeleteManyResult } from '../../../shared/contract';
import { selectPendingMigrations, useAppInfoStore } from '../../lib/appInfoStore';
import { countOf, usersTotalText } from '../../lib/format/count';
import { toast } from '../../lib/toastStore';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { GoToForm } from '../../ui/GoToForm';
import { GuardedButton } from '../../ui/GuardedButton';
import { KeysetPager } from '../../ui/KeysetPager';
import { ReadOnlyNote } from '../../ui/ReadOnlyNote';
import { ListEmptyState } from '../../ui/ListEmptyState';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { UserProductsPanel } from '../products/UserProductsPanel';
import { BulkDeleteDialog } from './BulkDeleteDialog';
import { deletedText } from './bulkDelete';
import { DeleteUserDialog, type DeletedUser } from './DeleteUserDialog';
import { useExactCountStore } from './exactCount';
import { UserFormDialog } from './UserFormDialog';
import { userGoToModes } from './userGoTo';
import { useUserProductsPanelStore, type PanelUser } from './userProductsPanelStore';
import { bulkSelection, useUserSelectionStore } from './userSelection';
import { usersColumns } from './usersColumns';
import { activeFilterCount, FILTER_LABELS, placeListField, rowsLabel, selectionInWords } from './usersFormat';
import { useUsersStore, type UsersListFilters } from './usersStore';
import { UsersToolbar } from './UsersToolbar';
import { UsersTotal, useShownTotal } from './UsersTotal';
import { usersDeleted } from '../products/countsAfterWrites';

type OpenDialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'delete'; user: User }
  | { kind: 'bulkDelete'; selection: UserBulkSelection; matchingInWords: string | null };

/**
 * The users screen. Until the schema is current it says so instead of listing: every users.*
 * call would only answer SCHEMA.
 */
export function UsersScreen() {
  const info = useAppInfoStore((s) => s.info);
  const pending = useAppInfoStore(selectPendingMigrations);
  if (!info) return null;
  return (
    <section className="screen" aria-labelledby="users-heading">
      <h2 id="users-heading" className="screen-title">
        Users
      </h2>
      {pending.length > 0 ? <SchemaBehind count={pending.length} /> : <UsersPanel />}
    </section>
  );
}

function SchemaBehind({ count }: { count?: number }) {
  return (
    <p className="schema-behind">
      {count
        ? `This database needs ${countOf(count, 'migration')} before users can be shown. Apply ${count === 1 ? 'it' : 'them'} above to continue.`
        : 'This database schema is older than this version of Simple DB needs. Apply the pending migrations to continue.'}
    </p>
  );
}

function deletedNotice({ email, productsUnowned }: DeletedUser): string {
  if (productsUnowned === 0) return `Deleted ${email}.`;
  const verb = productsUnowned === 1 ? 'no longer has' : 'no longer have';
  return `Deleted ${email}; ${countOf(productsUnowned, 'product')} ${verb} an owner.`;
}

/**
 * What an empty list says: why nothing is shown, in the terms the admin used. A page that does not
 * start at the first row (Go to past the end, Next onto rows deleted meanwhile) is empty only from
 * there on: the table itself is not.
 */
function emptyText(search: string, filters: UsersListFilters, readOnly: boolean, pastStart: boolean): string {
  const filtered = activeFilterCount(filters) > 0;
  if (pastStart) return search || filtered ? 'No matching users at or after this point.' : 'No users at or after this point.';
  const withFilters = filtered ? ' with these filters' : '';
  if (search) {
    if (filters.match === 'id') return `No user has id ${search}${withFilters}.`;
    if (filters.match === 'email') return `No user has the email “${search}”${withFilters}.`;
    if (filters.match === 'domain') return `No users have an email at “${search.replace(/^@/, '')}”${withFilters}.`;
    return `No users match “${search}”${withFilters}.`;
  }
  if (filtered) return 'No users match these filters.';
  return readOnly ? 'No users yet.' : 'No users yet. Create the first one.';
}

/** "Could not load users": the server's words, and which field they are about when it says. */
function listErrorMessage(error: { message: string; field?: string }): string {
  const placed = placeListField(error.field);
  if (placed?.kind === 'filter') return `Filter “${FILTER_LABELS[placed.field]}”: ${error.message} Fix it in Filters, or clear the filters.`;
  if (placed?.kind === 'search') return `Search: ${error.message}`;
  return error.message;
}

/** The id of the note that says why a read-only connection's users cannot be changed. */
const READ_ONLY_REASON_ID = 'users-readonly-reason';

function UsersPanel() {
  const { name, readOnly } = useCurrentConnectionView();
  const readOnlyReasonId = readOnly ? READ_ONLY_REASON_ID : undefined;
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const tableRegionRef = useRef<HTMLDivElement>(null);
  const rows = useUsersStore((s) => s.rows);
  const loading = useUsersStore((s) => s.loading);
  const error = useUsersStore((s) => s.error);
  const search = useUsersStore((s) => s.search);
  const filters = useUsersStore((s) => s.filters);
  const sort = useUsersStore((s) => s.sort);
  const direction = useUsersStore((s) => s.direction);
  const nextCursor = useUsersStore((s) => s.nextCursor);
  const previousCursor = useUsersStore((s) => s.previousCursor);
  const firstRow = useUsersStore((s) => s.firstRow);
  // Whether the page shown was reached from somewhere other than an end of the order.
  const pastStart = useUsersStore((s) => s.position.kind !== 'first' && s.position.kind !== 'last');
  const searchNote = useUsersStore((s) => s.searchNote);
  const highlight = useUsersStore((s) => s.highlight);
  const located = useUsersStore((s) => s.located);
  const listTotal = useUsersStore((s) => s.total);
  const { load, refresh, toggleSort, next, previous, first, last } = useUsersStore.getState();
  const { total } = useShownTotal();
  const tickedIds = useUserSelectionStore((s) => s.ids);
  const allMatching = useUserSelectionStore((s) => s.allMatching);
  const panelUser = useUserProductsPanelStore((s) => s.user);

  useEffect(() => {
    // Unless a request is already under way (another screen sent the list to a user): it answers.
    if (!useUsersStore.getState().loading) void useUsersStore.getState().load();
  }, []);

  // SCHEMA means the database changed under us (or app info is stale): ask again, so the
  // migrations banner appears and this panel gives way to its message.
  const schemaBehind = error?.code === 'SCHEMA';
  useEffect(() => {
    if (schemaBehind) void useAppInfoStore.getState().load();
  }, [schemaBehind]);

  const pageIds = useMemo(() => rows.map((user) => user.id), [rows]);
  const tickedOnPage = allMatching ? pageIds.length : pageIds.filter((id) => tickedIds.includes(id)).length;
  const pageState = pageIds.length > 0 && tickedOnPage === pageIds.length ? 'all' : tickedOnPage > 0 ? 'some' : 'none';

  const columns = useMemo(() => {
    const selection = useUserSelectionStore.getState();
    return usersColumns(
      {
        onProducts: (user) => useUserProductsPanelStore.getState().open(user),
        onEdit: (user) => setDialog({ kind: 'edit', user }),
        onDelete: (user) => setDialog({ kind: 'delete', user }),
        readOnlyReasonId,
      },
      {
        isTicked: (user) => allMatching !== null || tickedIds.includes(user.id),
        onTick: (user, on) => selection.toggle(user.id, on),
        page: pageState,
        onTickPage: (on) => selection.setPage(pageIds, on),
      },
    );
  }, [readOnlyReasonId, allMatching, tickedIds, pageState, pageIds]);

  const goToModes = useMemo(() => userGoToModes(sort), [sort]);

  const close = () => setDialog({ kind: 'none' });

  async function saved(user: User, created: boolean): Promise<void> {
    close();
    // The count taken before is not the answer any more.
    useExactCountStore.getState().forget();
    await refresh(user.id);
    const visible = useUsersStore.getState().rows.some((row) => row.id === user.id);
    const what = created ? `Created ${user.email}` : `Saved ${user.email}`;
    toast(visible ? `${what}.` : `${what}. It is not on this page of the list.`);
  }

  async function deleted(id: number, result: DeletedUser): Promise<void> {
    close();
    // Gone, so no longer selected: a bulk delete would otherwise say it "was deleted elsewhere".
    const selection = useUserSelectionStore.getState();
    if (!selection.allMatching && selection.ids.includes(id)) selection.toggle(id, false);
    usersDeleted();
    toast(deletedNotice(result));
    void useUserProductsPanelStore.getState().closeIfGone();
    await refresh();
    // The row (and its Delete button, which had focus) is gone: keep focus in the list.
    tableRegionRef.current?.focus();
  }

  async function bulkDeleted(result: UserDeleteManyResult): Promise<void> {
    close();
    useUserSelectionStore.getState().clear();
    usersDeleted();
    toast(deletedText(result));
    void useUserProductsPanelStore.getState().closeIfGone();
    await refresh();
    tableRegionRef.current?.focus();
  }

  function openBulkDelete(): void {
    const { ids, allMatching: matching } = useUserSelectionStore.getState();
    const selection = bulkSelection({ ids, allMatching: matching });
    if (!selection || readOnly) return;
    setDialog({ kind: 'bulkDelete', selection, matchingInWords: matching ? selectionInWords(matching.search, matching.filters) : null });
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
  // Above the table the total stands beside the range, so the range does not say it again.
  const label = rowsLabel(firstRow, rows.length, null);
  const labelWithTotal = rowsLabel(firstRow, rows.length, total);
  // `total` is null until a page has arrived: no "No users yet" flash before the first answer.
  const showEmpty = !loading && !error && listTotal !== null && rows.length === 0;
  const moreThanThisPage = previousCursor !== null || nextCursor !== null;
  const narrowed = search !== '' || activeFilterCount(filters) > 0;
  return (
    <>
      <UsersToolbar onNewUser={() => setDialog({ kind: 'create' })} readOnlyReasonId={readOnlyReasonId} />
      {readOnly && <ReadOnlyNote id={READ_ONLY_REASON_ID} name={name} />}
      <GoToForm label="Go to a user" modes={goToModes} outcome={located} onGo={(_mode, target) => useUsersStore.getState().locate(target)} />
      {schemaBehind ? (
        <SchemaBehind />
      ) : (
        // The server's refusal of the search box (say, letters in an id) is shown at the box only:
        // said twice, with a Retry that cannot help, it read as a failure of the app.
        error &&
        placeListField(error.field)?.kind !== 'search' && (
          <ErrorAlert title="Could not load users" message={listErrorMessage(error)} onRetry={() => void load()} />
        )
      )}
      {searchNote && (
        <p className="field-hint search-note" role="note">
          {searchNote}
        </p>
      )}
      <KeysetPager label="Pages, above the table" {...pager}>
        {label && <span className="users-rows-label">{label}</span>}
        <UsersTotal />
        {/* Always in the page, its words changing: a live region added already filled is often not read. */}
        <span role="status" className="loading">
          {loading ? 'Loading users…' : ''}
        </span>
      </KeysetPager>
      {(tickedIds.length > 0 || allMatching) && (
        <SelectionBar
          ticked={tickedIds.length}
          allMatching={allMatching !== null}
          offerAll={pageState === 'all' && allMatching === null && moreThanThisPage ? total : null}
          narrowed={narrowed}
          total={total}
          readOnlyReasonId={readOnlyReasonId}
          onSelectAll={() => useUserSelectionStore.getState().selectAllMatching(search, filters)}
          onClear={() => useUserSelectionStore.getState().clear()}
          onDelete={openBulkDelete}
        />
      )}
      <div className="users-table">
        <DataTable
          label="Users"
          columns={columns}
          rows={rows}
          rowKey={(user) => user.id}
          sort={{ key: sort, direction }}
          onSort={toggleSort}
          highlightKey={highlight}
          busy={loading}
          regionRef={tableRegionRef}
        />
      </div>
      {showEmpty && <ListEmptyState text={emptyText(search, filters, readOnly, pastStart)} pastStart={pastStart} onFirst={first} />}
      <KeysetPager label="Pages, below the table" {...pager}>
        {labelWithTotal && <span className="users-rows-label">{labelWithTotal}</span>}
      </KeysetPager>

      {(dialog.kind === 'create' || dialog.kind === 'edit') && (
        <UserFormDialog
          // A new key per target, so reopening never shows the previous user's edits.
          key={dialog.kind === 'edit' ? `edit-${dialog.user.id}` : 'create'}
          user={dialog.kind === 'edit' ? dialog.user : null}
          onCancel={close}
          onStale={() => void refresh()}
          onSaved={(user, created) => void saved(user, created)}
        />
      )}
      {dialog.kind === 'delete' && (
        <DeleteUserDialog
          key={dialog.user.id}
          user={dialog.user}
          onCancel={close}
          onStale={() => void refresh()}
          onDeleted={(result) => void deleted(dialog.user.id, result)}
        />
      )}
      {dialog.kind === 'bulkDelete' && (
        <BulkDeleteDialog
          selection={dialog.selection}
          matchingInWords={dialog.matchingInWords}
          onCancel={close}
          onStale={() => {
            useExactCountStore.getState().forget();
            void refresh();
          }}
          onDeleted={(result) => void bulkDeleted(result)}
        />
      )}
      {panelUser && <UserProductsDrawer key={panelUser.id} user={panelUser} tableRegionRef={tableRegionRef} />}
    </>
  );
}

interface SelectionBarProps {
  ticked: number;
  allMatching: boolean;
  /** The total to offer "Select all N matching" for, when the whole page is ticked and there is more. */
  offerAll: Total | null;
  /** A search or filter narrows the list ("matching" is then worth saying). */
  narrowed: boolean;
  total: Total | null;
  readOnlyReasonId?: string;
  onSelectAll: () => void;
  onClear: () => void;
  onDelete: () => void;
}

/** What is selected, the way to select every matching user, and the bulk actions. */
function SelectionBar({ ticked, allMatching, offerAll, narrowed, total, readOnlyReasonId, onSelectAll, onClear, onDelete }: SelectionBarProps) {
  const matching = narrowed ? ' matching' : '';
  const selectedText = allMatching
    ? `All ${total ? usersTotalText(total) : 'users'}${matching} are selected${total?.estimated ? ' (the exact number is checked before deleting)' : ''}.`
    : `${countOf(ticked, 'user')} selected.`;
  return (
    <div className="selection-bar" role="group" aria-label="Selected users">
      <span role="status" className="selection-bar-text">
        {selectedText}
      </span>
      {offerAll && (
        <button type="button" className="button button-small" onClick={onSelectAll}>
          Select all {usersTotalText(offerAll)}
          {matching}
        </button>
      )}
      <button type="button" className="button button-small button-quiet" onClick={onClear}>
        Clear selection
      </button>
      <div className="toolbar-spacer" />
      <GuardedButton className="button button-small button-danger" unavailableReasonId={readOnlyReasonId} onClick={onDelete}>
        Delete selected…
      </GuardedButton>
    </div>
  );
}

/**
 * A user's products beside the list: the Products feature's panel (its own heading, paging and
 * Close) in a drawer over the right of the screen. Not modal, so the list stays readable; focus
 * moves into it, Escape closes it, and focus goes back to what opened it (the store took it when
 * asked). When that is gone (a button on the Products screen), focus goes to the marked row's
 * first button, or to the table.
 */
function UserProductsDrawer({ user, tableRegionRef }: { user: PanelUser; tableRegionRef: RefObject<HTMLDivElement | null> }) {
  const close = useUserProductsPanelStore((s) => s.close);
  const drawerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const { opener } = useUserProductsPanelStore.getState();
    const heading = drawerRef.current?.querySelector<HTMLElement>('h2, h3');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
    const region = tableRegionRef.current;
    return () => {
      // Another user's panel replaces this one: it takes focus, not this one's opener.
      if (useUserProductsPanelStore.getState().user !== null) return;
      if (opener?.isConnected) opener.focus();
      else if (region?.isConnected) (region.querySelector<HTMLElement>('tr.highlight button') ?? region).focus();
    };
  }, [tableRegionRef]);

  return (
    <div
      ref={drawerRef}
      className="user-products-drawer"
      onKeyDown={(event) => {
        // A dialog opened from the panel (add, reassign) closes itself on Escape: not the panel too.
        if (event.key !== 'Escape' || (event.target instanceof Element && event.target.closest('dialog'))) return;
        event.stopPropagation();
        close();
      }}
    >
      <UserProductsPanel user={user} onClose={close} />
    </div>
  );
}
