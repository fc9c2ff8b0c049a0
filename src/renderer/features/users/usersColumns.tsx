import { useEffect, useRef } from 'react';
import type { SortKey, User } from '../../../shared/contract';
import { formatUtcTimestamp } from '../../lib/format/timestamp';
import { actionsColumn } from '../../ui/actionsColumn';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';

interface RowActions {
  onProducts: (user: User) => void;
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  /**
   * Set on a read-only connection: Edit and Delete stay in the row (focusable, so the reason is
   * read) but do nothing; the id is the note on screen that says why.
   */
  readOnlyReasonId?: string;
}

interface RowSelection {
  isTicked: (user: User) => boolean;
  onTick: (user: User, on: boolean) => void;
  /** The header box: every row of the page ticked, some, or none. */
  page: 'all' | 'some' | 'none';
  onTickPage: (on: boolean) => void;
}

/** The header's box: ticks the page; shows "mixed" when only some of its rows are ticked. */
function PageCheckbox({ state, onChange }: { state: RowSelection['page']; onChange: (on: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      aria-label="Select all users on this page"
      checked={state === 'all'}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

/** The users table's columns, left to right; widths are in the stylesheet (`.col-*`). */
export function usersColumns(
  { onProducts, onEdit, onDelete, readOnlyReasonId }: RowActions,
  selection: RowSelection,
): DataTableColumn<User, SortKey>[] {
  return [
    {
      id: 'select',
      header: <PageCheckbox state={selection.page} onChange={selection.onTickPage} />,
      className: 'col-select',
      cell: (user) => (
        <input
          type="checkbox"
          className="row-check"
          aria-label={`Select ${user.email}`}
          checked={selection.isTicked(user)}
          onChange={(event) => selection.onTick(user, event.target.checked)}
        />
      ),
    },
    { id: 'id', header: 'ID', sortKey: 'id', className: 'col-id', cell: (user) => user.id },
    { id: 'email', header: 'Email', sortKey: 'email', className: 'col-email', cell: (user) => <TruncatedText text={user.email} /> },
    { id: 'name', header: 'Name', sortKey: 'name', className: 'col-name', cell: (user) => <TruncatedText text={user.name} /> },
    {
      id: 'created',
      header: 'Created',
      sortKey: 'created_at',
      className: 'col-created',
      cell: (user) => <time dateTime={user.createdAt}>{formatUtcTimestamp(user.createdAt)}</time>,
    },
    actionsColumn<User, SortKey>(
      [
        { label: 'Products', name: (email) => `Products of ${email}`, readsOnly: true, run: onProducts },
        { label: 'Edit', run: onEdit },
        { label: 'Delete', tone: 'danger', run: onDelete },
      ],
      { className: 'col-actions col-user-actions', rowName: (user) => user.email, readOnlyReasonId },
    ),
  ];
}
