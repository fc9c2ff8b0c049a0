import { useEffect, useRef, useState } from 'react';
import type { User } from '../../shared/contract';
import { DeleteUserDialog, type DeletedUser } from '../components/DeleteUserDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pager } from '../components/Pager';
import { Toolbar } from '../components/Toolbar';
import { UserFormDialog } from '../components/UserFormDialog';
import { UsersTable } from '../components/UsersTable';
import { countOf } from '../format/count';
import { selectPendingMigrations, useAppStore } from '../stores/appStore';
import { useNoticeStore } from '../stores/noticeStore';
import { useUsersStore } from '../stores/usersStore';

type OpenDialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'delete'; user: User };

/**
 * The users screen. Until the schema is current it says so instead of listing: every users.*
 * call would only answer SCHEMA.
 */
export function UsersScreen() {
  const info = useAppStore((s) => s.info);
  const pending = useAppStore(selectPendingMigrations);
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

function UsersPanel() {
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const tableRegionRef = useRef<HTMLDivElement>(null);
  const rows = useUsersStore((s) => s.rows);
  const loading = useUsersStore((s) => s.loading);
  const error = useUsersStore((s) => s.error);
  const search = useUsersStore((s) => s.search);
  const total = useUsersStore((s) => s.total);
  const load = useUsersStore((s) => s.load);
  const refresh = useUsersStore((s) => s.refresh);
  const showNotice = useNoticeStore((s) => s.show);

  useEffect(() => {
    void useUsersStore.getState().load();
  }, []);

  // SCHEMA means the database changed under us (or app info is stale): ask again, so the
  // migrations banner appears and this panel gives way to its message.
  const schemaBehind = error?.code === 'SCHEMA';
  useEffect(() => {
    if (schemaBehind) void useAppStore.getState().load();
  }, [schemaBehind]);

  const close = () => setDialog({ kind: 'none' });

  async function saved(user: User, created: boolean): Promise<void> {
    close();
    await refresh(user.id);
    const visible = useUsersStore.getState().rows.some((row) => row.id === user.id);
    const what = created ? `Created ${user.email}` : `Saved ${user.email}`;
    showNotice(visible ? `${what}.` : `${what}. It is not on this page of the list.`);
  }

  async function deleted(result: DeletedUser): Promise<void> {
    close();
    showNotice(deletedNotice(result));
    await refresh();
    // The row (and its Delete button, which had focus) is gone: keep focus in the list.
    tableRegionRef.current?.focus();
  }

  // `total` is null until a page has arrived: no "No users yet" flash before the first answer.
  const showEmpty = !loading && !error && total !== null && rows.length === 0;
  return (
    <>
      <Toolbar onNewUser={() => setDialog({ kind: 'create' })} />
      {loading && (
        <p role="status" className="loading">
          Loading users…
        </p>
      )}
      {schemaBehind ? (
        <SchemaBehind />
      ) : (
        error && <ErrorAlert title="Could not load users" message={error.message} onRetry={() => void load()} />
      )}
      <UsersTable
        regionRef={tableRegionRef}
        onEdit={(user) => setDialog({ kind: 'edit', user })}
        onDelete={(user) => setDialog({ kind: 'delete', user })}
      />
      {showEmpty && (
        <p className="empty-state">
          {search ? `No users match “${search}”.` : 'No users yet. Create the first one.'}
        </p>
      )}
      <Pager />

      {(dialog.kind === 'create' || dialog.kind === 'edit') && (
        <UserFormDialog
          // A new key per target, so reopening never shows the previous user's edits.
          key={dialog.kind === 'edit' ? `edit-${dialog.user.id}` : 'create'}
          user={dialog.kind === 'edit' ? dialog.user : null}
          onCancel={close}
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
