import type { SortKey } from '../../shared/contract';
import { useUsersStore } from '../stores/usersStore';

interface SortableHeaderProps {
  sortKey: SortKey;
  label: string;
}

/**
 * A column header whose button sorts by it (again: flips the direction). The state is on the
 * <th> as aria-sort, and the arrow is decoration, so the button's name stays just the label.
 */
export function SortableHeader({ sortKey, label }: SortableHeaderProps) {
  const sort = useUsersStore((s) => s.sort);
  const direction = useUsersStore((s) => s.direction);
  const toggleSort = useUsersStore((s) => s.toggleSort);
  const active = sort === sortKey;
  const ariaSort = active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none';

  return (
    <th scope="col" aria-sort={ariaSort} className={active ? 'sorted' : undefined}>
      <button type="button" className="sort-button" onClick={() => toggleSort(sortKey)}>
        {label}
        <span aria-hidden="true" className="sort-indicator">
          {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
