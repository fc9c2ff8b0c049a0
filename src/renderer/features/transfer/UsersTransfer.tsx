import { api } from '../../lib/api';
import { useExactCountStore } from '../users/exactCount';
import { activeFilterCount } from '../users/usersFormat';
import { userSelection, useUsersStore } from '../users/usersStore';
import { useShownTotal } from '../users/UsersTotal';
import { ExportButton } from './ExportButton';
import { ImportButton } from './ImportButton';
import { exportLabel } from './transferText';

/**
 * Export and Import on the Users screen. Export takes exactly what the list shows: its search,
 * match mode, filters, sort and direction.
 */
export function UsersTransfer({ readOnlyReasonId }: { readOnlyReasonId?: string | undefined }) {
  const search = useUsersStore((s) => s.search);
  const filters = useUsersStore((s) => s.filters);
  const sort = useUsersStore((s) => s.sort);
  const direction = useUsersStore((s) => s.direction);
  const { total } = useShownTotal();
  const narrowed = search !== '' || activeFilterCount(filters) > 0;
  return (
    <>
      <ExportButton
        table="users"
        what={exportLabel('users', total, narrowed)}
        start={(destination) => api.users.export({ ...userSelection(search, filters), sort, direction, ...(destination ? { destination } : {}) })}
      />
      <ImportButton
        table="users"
        readOnlyReasonId={readOnlyReasonId}
        start={(source, mode) => api.users.import({ source, mode })}
        onImported={() => {
          // Counted before the import, the exact count is not the answer any more.
          useExactCountStore.getState().forget();
          void useUsersStore.getState().refresh();
        }}
      />
    </>
  );
}
