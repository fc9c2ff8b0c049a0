import type { SortKey } from '../../shared/contract';
import { orderBy, whereClause } from '../lists/keyset';
import { USERS } from '../users/queries';
import { userSelection, type UserSelectionInput } from '../users/selection';
import type { ExportQuery } from './copy-out';

/**
 * The users an export writes: the list's search and filters, in the list's order, as the columns
 * an import reads back: created_at as PostgreSQL writes it under DateStyle ISO (the export's
 * session sets it), `2024-05-31 14:03:00.123456`, without a time zone like the column. Any
 * expression on it (to_char, replace) costs a quarter to a half more time on a million rows.
 */
export function userExportQuery(input: UserSelectionInput & { sort: SortKey; direction: 'asc' | 'desc' }): ExportQuery {
  const selection = userSelection(input);
  return {
    text: `SELECT id, email, name, created_at FROM users${whereClause(selection.conditions)} ORDER BY ${orderBy(USERS.sorts[input.sort], USERS.id, input.direction)}`,
    values: selection.values,
  };
}
