import { useEffect, useMemo, useRef, useState } from 'react';
import type { User } from '../../../shared/contract';
import { selectPendingMigrations, useAppInfoStore } from '../../lib/appInfoStore';
import { countOf } from '../../lib/format/count';
import { toast } from '../../lib/toastStore';
import { DataTable } from '../../ui/DataTable';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Pager } from '../../ui/Pager';
import { useCurrentConnectionView } from '../connections/connectionsStore';
import { DeleteUserDialog, type DeletedUser } from './DeleteUserDialog';
import { useExactCountStore } from './exactCount';
import { UserFormDialog } from './UserFormDialog';
import { usersColumns } from './usersColumns';
import { useUsersStore } from './usersStore';
import { UsersToolbar } from './UsersToolbar';
import { UsersTotal } from './UsersTotal';

type OpenDialog = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'delete'; user: User };

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

/** The id of the note that says why a read-only connection's users cannot be changed. */
const READ_ONLY_REASON_ID = 'users-readonly-reason';

/**
 * On a read-only connection the server refuses every change: New user, Edit and Delete are
 * offered as unavailable (still focusable, so the reason is read with them), and this says why.
 */
function ReadOnlyNote({ name }: { name: string | null }) {
  return (
    <p id={READ_ONLY_REASON_ID} className="field-hint">
      {name ? `“${name}”` : 'This connection'} is read-only: Simple DB does not change its data. Edit the connection to allow changes.
    </p>
  );
}

function UsersPanel() {
  const { name, readOnly } = useCurrentConnectionView();
  const readOnlyReasonId = readOnly ? READ_ONLY_REASON_ID : undefined;
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const tableRegionRef = useRef<HTMLDivElement>(null);
  const rows = useUsersStore((s) => s.rows);
  const loading = useUsersStore((s) => s.loading);
  const error = useUsersStore((s) => s.error);
  const search = useUsersStore((s) => s.search);
  const total = useUsersStore((s) => s.total);
  const sort = useUsersStore((s) => s.sort);
  const direction = useUsersStore((s) => s.direction);
  const cursors = useUsersStore((s) => s.cursors);
  const nextCursor = useUsersStore((s) => s.nextCursor);
  const highlight = useUsersStore((s) => s.highlight);
  const { load, refresh, toggleSort, next, previous } = useUsersStore.getState();

  useEffect(() => {
    void useUsersStore.getState().load();
  }, []);

  // SCHEMA means the database changed under us (or app info is stale): ask again, so the
  // migrations banner appears and this panel gives way to its message.
  const schemaBehind = error?.code === 'SCHEMA';
  useEffect(() => {
    if (schemaBehind) void useAppInfoStore.getState().load();
  }, [schemaBehind]);

  const columns = useMemo(
    () =>
      usersColumns({
        onEdit: (user) => setDialog({ kind: 'edit', user }),
        onDelete: (user) => setDialog({ kind: 'delete', user }),
        readOnlyReasonId,
      }),
    [readOnlyReasonId],
  );

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

  async function deleted(result: DeletedUser): Promise<void> {
    close();
    useExactCountStore.getState().forget();
    toast(deletedNotice(result));
    await refresh();
    // The row (and its Delete button, which had focus) is gone: keep focus in the list.
    tableRegionRef.current?.focus();
  }

  const pager = {
    page: cursors.length + 1,
    hasPrevious: cursors.length > 0,
    hasNext: nextCursor !== null,
    busy: loading,
    onPrevious: previous,
    onNext: next,
  };
  // `total` is null until a page has arrived: no "No users yet" flash before the first answer.
  const showEmpty = !loading && !error && total !== null && rows.length === 0;
  return (
    <>
      <UsersToolbar onNewUser={() => setDialog({ kind: 'create' })} readOnlyReasonId={readOnlyReasonId} />
      {readOnly && <ReadOnlyNote name={name} />}
      {schemaBehind ? <SchemaBehind /> : error && <ErrorAlert title="Could not load users" message={error.message} onRetry={() => void load()} />}
      <Pager label="Pages, above the table" {...pager}>
        <UsersTotal />
        {loading && (
          <span role="status" className="loading">
            Loading users…
          </span>
        )}
      </Pager>
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
      {showEmpty && (
        <p className="empty-state">{search ? `No users match “${search}”.` : readOnly ? 'No users yet.' : 'No users yet. Create the first one.'}</p>
      )}
      <Pager label="Pages, below the table" {...pager} />

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
          onDeleted={(result) => void deleted(result)}
        />
      )}
    </>
  );
}
