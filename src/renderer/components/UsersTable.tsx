import type { Ref } from 'react';
import type { User } from '../../shared/contract';
import { formatUtcTimestamp } from '../format/timestamp';
import { useUsersStore } from '../stores/usersStore';
import { SortableHeader } from './SortableHeader';

interface UsersTableProps {
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  /** Focusable wrapper, so focus has somewhere sensible to land when a row disappears. */
  regionRef?: Ref<HTMLDivElement>;
}

/** One page of users. Database text is rendered as React text nodes, never as markup. */
export function UsersTable({ onEdit, onDelete, regionRef }: UsersTableProps) {
  const rows = useUsersStore((s) => s.rows);
  const loading = useUsersStore((s) => s.loading);
  const highlightId = useUsersStore((s) => s.highlightId);

  return (
    <div className="table-wrap" ref={regionRef} tabIndex={-1}>
      <table className="users-table" aria-label="Users" aria-busy={loading || undefined}>
        <thead>
          <tr>
            <SortableHeader sortKey="id" label="ID" />
            <SortableHeader sortKey="email" label="Email" />
            <SortableHeader sortKey="name" label="Name" />
            <SortableHeader sortKey="created_at" label="Created" />
            <th scope="col" className="actions-header">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((user) => (
            <tr key={user.id} className={user.id === highlightId ? 'highlight' : undefined}>
              <td className="cell-id">{user.id}</td>
              <td className="cell-email">{user.email}</td>
              <td className="cell-name">{user.name}</td>
              <td className="cell-created">
                <time dateTime={user.createdAt}>{formatUtcTimestamp(user.createdAt)}</time>
              </td>
              <td className="cell-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Edit ${user.email}`}
                  onClick={() => onEdit(user)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  aria-label={`Delete ${user.email}`}
                  onClick={() => onDelete(user)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
