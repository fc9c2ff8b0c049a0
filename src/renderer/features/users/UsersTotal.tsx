import type { Total } from '../../../shared/contract';
import { useShownTotal as useListShownTotal, type ExactCountView } from '../../lib/exactCountStore';
import { usersTotalText } from '../../lib/format/count';
import { ListTotal } from '../../ui/ListTotal';
import { useExactCountStore } from './exactCount';
import { listingKey, useUsersStore } from './usersStore';

/** The users total to show: the exact count of this very listing once counted, never fewer than the rows shown. */
export function useShownTotal(): { total: Total | null; view: ExactCountView } {
  return useListShownTotal(useUsersStore, useExactCountStore, listingKey);
}

/** "1,204 users", or "about 1,200 users" with "Count exactly" (see ListTotal). */
export function UsersTotal() {
  const { total, view } = useShownTotal();
  const search = useUsersStore((s) => s.search);
  const filters = useUsersStore((s) => s.filters);
  const starting = useExactCountStore((s) => s.starting);
  const startError = useExactCountStore((s) => s.startError);
  const start = useExactCountStore((s) => s.start);
  return (
    <ListTotal
      total={total}
      text={usersTotalText}
      view={view}
      starting={starting}
      startError={startError}
      onCount={() => void start(search, filters)}
    />
  );
}
