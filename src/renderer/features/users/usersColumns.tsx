import { useEffect, useRef } from 'react';
import type { SortKey, User } from '../../../shared/contract';
import { formatUtcTimestamp } from '../../lib/format/timestamp';
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
  const readOnly = readOnlyReasonId !== undefined;
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
    {
      id: 'actions',
      header: 'Actions',
      className: 'col-actions col-user-actions',
      cell: (user) => (
        <>
          {/* Reading products changes nothing: offered on read-only connections too. */}
          <button type="button" className="button button-small" aria-label={`Products of ${user.email}`} onClick={() => onProducts(user)}>
            Products
          </button>
          <button
            type="button"
            className="button button-small"
            aria-label={`Edit ${user.email}`}
            aria-disabled={readOnly || undefined}
            aria-describedby={readOnlyReasonId}
            onClick={() => {
              if (!readOnly) onEdit(user);
            }}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small button-danger-quiet"
            aria-label={`Delete ${user.email}`}
            aria-disabled={readOnly || undefined}
            aria-describedby={readOnlyReasonId}
            onClick={() => {
              if (!readOnly) onDelete(user);
            }}
          >
            Delete
          </button>
        </>
      ),
    },
  ];
}
