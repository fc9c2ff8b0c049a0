import type { SortKey, User } from '../../../shared/contract';
import { formatUtcTimestamp } from '../../lib/format/timestamp';
import { TruncatedText, type DataTableColumn } from '../../ui/DataTable';

interface RowActions {
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  /**
   * Set on a read-only connection: Edit and Delete stay in the row (focusable, so the reason is
   * read) but do nothing; the id is the note on screen that says why.
   */
  readOnlyReasonId?: string;
}

/** The users table's columns, left to right; widths are in the stylesheet (`.col-*`). */
export function usersColumns({ onEdit, onDelete, readOnlyReasonId }: RowActions): DataTableColumn<User, SortKey>[] {
  const readOnly = readOnlyReasonId !== undefined;
  return [
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
      className: 'col-actions',
      cell: (user) => (
        <>
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
