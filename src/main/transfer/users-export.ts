import type { SortKey } from '../../shared/contract';
import { orderBy, whereClause } from '../lists/keyset';
import { USERS } from '../users/queries';
import { userSelection, type UserSelectionInput } from '../users/selection';
import type { ExportQuery } from './copy-out';

/**
 * The users an export writes: the list's search and filters, in the list's order, as the columns
 * an import reads back (created_at as ISO 8601 to the microsecond, without a time zone, like the column: the
 * session's DateStyle is ISO; a text replace is a third of to_char's cost on a million rows).
 */
export function userExportQuery(input: UserSelectionInput & { sort: SortKey; direction: 'asc' | 'desc' }): ExportQuery {
  const selection = userSelection(input);
  return {
    text: `SELECT id, email, name, replace(created_at::text, ' ', 'T') AS created_at FROM users${whereClause(selection.conditions)} ORDER BY ${orderBy(USERS.sorts[input.sort], USERS.id, input.direction)}`,
    values: selection.values,
  };
}
