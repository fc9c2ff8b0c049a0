import type { SortDirection, SortKey, UserFiltersInput, UserMatch } from '../../shared/contract';
import { userFiltersSchema } from '../../shared/contract';
import { decodeCursor as decodeListCursor, encodeCursor as encodeListCursor, type CursorField } from '../lists/cursor';
import { USERS } from './queries';
import { userSelection } from './selection';

/**
 * A users-list cursor as a plain object: the order and search it belongs to, and where it points.
 * The list itself builds cursors through the shared keyset engine (src/main/lists); this is the
 * same encoding, for code and tests that make or read one directly.
 */
export interface Cursor {
  sort: SortKey;
  direction: SortDirection;
  search: string;
  match?: UserMatch;
  filters?: UserFiltersInput;
  value: string | number;
  id: number;
  /** The row at the cursor belongs to the page (a located row); absent: the page starts just past it. */
  inclusive?: boolean;
}

type Scope = Pick<Cursor, 'sort' | 'direction' | 'search' | 'match' | 'filters'>;

function listScope(scope: Scope) {
  const selection = userSelection({ search: scope.search, match: scope.match ?? 'contains', filters: userFiltersSchema.parse(scope.filters ?? {}) });
  return { list: USERS.list, sort: scope.sort, direction: scope.direction, selection: selection.scope };
}

export function encodeCursor(cursor: Cursor): string {
  return encodeListCursor(listScope(cursor), { value: cursor.value, id: cursor.id, inclusive: cursor.inclusive ?? false });
}

/** Reads a cursor back for `expected`'s order and search; anything else is a VALIDATION error on `field`. */
export function decodeCursor(text: string, expected: Scope, field: CursorField = 'after'): Cursor {
  const position = decodeListCursor(text, listScope(expected), USERS.sorts[expected.sort].kind, field);
  return {
    sort: expected.sort,
    direction: expected.direction,
    search: expected.search,
    value: position.value,
    id: position.id,
    ...(position.inclusive ? { inclusive: true } : {}),
  };
}
