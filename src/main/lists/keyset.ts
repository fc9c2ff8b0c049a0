import type { Total } from '../../shared/contract';
import type { Database } from '../db/connect';
import { runStatement, runTimeBoxed, type Statement } from '../db/prepared';
import { countRecentlyTimedOut, EXACT_COUNT_LIMIT, rememberCountTimeout, tableTotal } from '../db/table-facts';
import { decodeCursor, encodeCursor, type CursorField, type CursorPosition, type CursorScope, type KeyKind } from './cursor';

/**
 * Keyset paging shared by the Users and Products lists: every page is one index walk from a
 * boundary (the first row, the last row, or a cursor), never an OFFSET, so the millionth row costs
 * what the first does. A list describes itself with a ListSpec; its search and filters arrive as a
 * Selection of SQL conditions with bound values.
 */

/** Up to this many rows (by the table's estimate, checked by a bounded count) a total is counted, not estimated. */
export { EXACT_COUNT_LIMIT };
/** How long an exact total may take before the page settles for the planner's estimate. */
export const COUNT_BUDGET_MS = 150;

export interface SortSpec {
  /** The sort key's SQL (ours, whitelisted); an index on (key, id) or a unique one on key serves it. */
  expression: string;
  kind: KeyKind;
  /** The SQL type cursor values are cast to, so the comparison matches the index. */
  cast: 'integer' | 'varchar' | 'timestamp';
  /** The key alone orders every row (the id; a unique email): no id needed to break ties. */
  unique: boolean;
  /** Where ANALYZE keeps this key's statistics (a column, or an expression index's column); null for the id, whose min and max are enough. */
  stats: { relation: string; column: string } | null;
  /** For people, plural: "Names", "Emails". */
  label: string;
}

export interface ListSpec<Row extends { id: number }, Sort extends string> {
  /** Cursors of one list are never taken by another. */
  list: string;
  /** The FROM of a page (joins included) and of a count (the table alone). */
  from: string;
  countFrom: string;
  /** The table whose size decides between counting and estimating. */
  table: string;
  /** The id column as the conditions and ORDER BY name it. */
  id: string;
  /** Only the columns the screen shows. */
  columns: string;
  sorts: Record<Sort, SortSpec>;
  /** The sort key's value of a row, exactly as `keyText` renders it. */
  keyOf(row: Row, sort: Sort): string | number;
  /** "user", "users", "User". */
  noun: { one: string; many: string; title: string };
}

/** The search and filters of one request, as SQL conditions over `countFrom` (and `from`). */
export interface Selection {
  conditions: string[];
  /** The values the conditions bind, as $1, $2, … in this order. */
  values: unknown[];
  /** Every plan is right for any value of these conditions, so a page may be prepared (see Statement.prepare). */
  genericSafe: boolean;
  /** What cursors are bound to: the search and filters as given. */
  scope: unknown;
  /** The bounds the filters put on sort keys (an id or date range), so a position jump stays inside them. */
  keyRanges?: Partial<Record<string, { from?: string | number; to?: string | number }>>;
}

export interface PageRequest<Sort extends string> {
  sort: Sort;
  direction: 'asc' | 'desc';
  pageSize: number;
  from: 'first' | 'last';
  after?: string | null | undefined;
  before?: string | null | undefined;
  at?: string | null | undefined;
  withTotal: boolean;
}

export interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
  previousCursor: string | null;
  total: Total | null;
}

type Shape =
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'forward'; bound: CursorPosition }
  | { kind: 'at'; bound: CursorPosition }
  | { kind: 'before'; bound: CursorPosition };

export interface PageStatement {
  statement: Statement;
  shape: Shape;
  scope: CursorScope;
}

const PART = 'keysetPart';

export function cursorScope<Sort extends string>(
  spec: ListSpec<{ id: number }, Sort>,
  sort: Sort,
  direction: 'asc' | 'desc',
  selection: Selection,
): CursorScope {
  return { list: spec.list, sort, direction, selection: selection.scope };
}

/** The key as a cursor carries it: timestamps rendered to the microsecond, independent of the session's time zone. */
export function keyText(sort: SortSpec, sql = sort.expression): string {
  return sort.kind === 'timestamp' ? `to_char(${sql}, 'YYYY-MM-DD"T"HH24:MI:SS.US')` : sql;
}

/** Binds a value as the next $n of `values` and returns its placeholder: how a Selection's conditions take the admin's input. */
export function binder(values: unknown[]): (value: unknown) => string {
  return (value) => {
    values.push(value);
    return `$${values.length}`;
  };
}

export function whereClause(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}

export function orderBy(sort: SortSpec, id: string, direction: 'asc' | 'desc'): string {
  const d = direction === 'desc' ? 'DESC' : 'ASC';
  return sort.unique ? `${sort.expression} ${d}` : `${sort.expression} ${d}, ${id} ${d}`;
}

const reverse = (direction: 'asc' | 'desc') => (direction === 'asc' ? 'desc' : 'asc');

/**
 * The rows on the `side` of a boundary in display order (`after`: later rows), with the row at the
 * boundary itself when the position is inclusive. A row-value comparison on (key, id) is one
 * index condition; its values are bound, only the operator is chosen here.
 */
export function boundCondition(
  sort: SortSpec,
  id: string,
  direction: 'asc' | 'desc',
  side: 'after' | 'before',
  position: CursorPosition,
  values: unknown[],
): string {
  const greater = (side === 'after') === (direction === 'asc');
  const op = `${greater ? '>' : '<'}${position.inclusive ? '=' : ''}`;
  values.push(position.value);
  const value = `$${values.length}::${sort.cast}`;
  if (sort.unique) return `${sort.expression} ${op} ${value}`;
  values.push(position.id);
  return `(${sort.expression}, ${id}) ${op} (${value}, $${values.length}::integer)`;
}

function readCursor(request: PageRequest<string>, scope: CursorScope, kind: KeyKind): Shape {
  const given = (['after', 'before', 'at'] as const).find((field) => request[field] != null);
  if (!given) return { kind: request.from === 'last' ? 'last' : 'first' };
  const bound = decodeCursor(request[given]!, scope, kind, given satisfies CursorField);
  // A located row starts its page: `at` always includes it, whatever the cursor says.
  if (given === 'at') return { kind: 'at', bound: { ...bound, inclusive: true } };
  return given === 'after' ? { kind: 'forward', bound } : { kind: 'before', bound };
}

/**
 * The one statement a page runs, exactly as the service runs it (tests EXPLAIN it). `before` is a
 * UNION ALL of the rows before the cursor and the rows from it on, so "fewer than a page precede
 * it, show the first page" is still one round trip. `at` likewise looks one row back: a located
 * page may well be the first (row 1, or a value before every row), and only a row seen before it
 * says it is not.
 */
export function pageStatement<Row extends { id: number }, Sort extends string>(
  spec: ListSpec<Row, Sort>,
  request: PageRequest<Sort>,
  selection: Selection,
): PageStatement {
  const sort = spec.sorts[request.sort];
  const scope = cursorScope(spec, request.sort, request.direction, selection);
  const shape = readCursor(request, scope, sort.kind);
  const values = [...selection.values];
  // Page sizes are the contract's 25, 50 or 100: a literal LIMIT lets the planner see it even in a prepared statement.
  const limit = request.pageSize + 1;
  const select = (direction: 'asc' | 'desc', extra: string[], part?: number, rows = limit) =>
    `SELECT ${spec.columns}${part === undefined ? '' : `, ${part} AS "${PART}"`} FROM ${spec.from}${whereClause([...selection.conditions, ...extra])} ORDER BY ${orderBy(sort, spec.id, direction)} LIMIT ${rows}`;
  let text: string;
  switch (shape.kind) {
    case 'first':
      text = select(request.direction, []);
      break;
    case 'last':
      text = select(reverse(request.direction), []);
      break;
    case 'forward':
      text = select(request.direction, [boundCondition(sort, spec.id, request.direction, 'after', shape.bound, values)]);
      break;
    case 'at': {
      const from = boundCondition(sort, spec.id, request.direction, 'after', shape.bound, values);
      // The row just before the located one, if any (the same bound values, bound again).
      const beforeValues: unknown[] = [...selection.values];
      const before = boundCondition(sort, spec.id, request.direction, 'before', { ...shape.bound, inclusive: false }, beforeValues);
      text = `(${select(reverse(request.direction), [before], 0, 1)}) UNION ALL (${select(request.direction, [from], 1)})`;
      break;
    }
    case 'before': {
      const before = boundCondition(sort, spec.id, request.direction, 'before', shape.bound, values);
      // The same boundary, the other way: the rows from the cursor on (the same bound values, bound again).
      const fromValues: unknown[] = [...selection.values];
      const from = boundCondition(sort, spec.id, request.direction, 'after', { ...shape.bound, inclusive: !shape.bound.inclusive }, fromValues);
      text = `(${select(reverse(request.direction), [before], 0)}) UNION ALL (${select(request.direction, [from], 1)})`;
      break;
    }
  }
  return { statement: { text, values, prepare: selection.genericSafe }, shape, scope };
}

/**
 * What a page knows about where it sits, for its cursors and its total. `rowsBefore` and
 * `rowsAfter` are only true when the page's own statement saw such a row: a cursor alone proves
 * nothing (the rows before an `after` cursor may have been deleted since).
 */
interface Placement {
  startsAtFirst: boolean;
  endsAtLast: boolean;
  rowsBefore: boolean;
  rowsAfter: boolean;
}

/** Runs one page: one round trip, plus the total when asked for and the page alone does not settle it. */
export async function listPage<Row extends { id: number }, Sort extends string>(
  db: Database,
  spec: ListSpec<Row, Sort>,
  request: PageRequest<Sort>,
  selection: Selection,
  options: { countBudgetMs?: number } = {},
): Promise<Page<Row>> {
  const { statement, shape, scope } = pageStatement(spec, request, selection);
  const fetched = await runStatement<Row & { [PART]?: number }>(db, statement);
  const n = request.pageSize;
  const cursorAt = (row: Row | undefined, inclusive = false) =>
    row ? encodeCursor(scope, { value: spec.keyOf(row, request.sort), id: row.id, inclusive }) : null;
  let rows: Row[];
  let nextCursor: string | null;
  let previousCursor: string | null;
  let placement: Placement;
  switch (shape.kind) {
    case 'first':
    case 'forward': {
      rows = fetched.slice(0, n);
      const more = fetched.length > n;
      nextCursor = more ? cursorAt(rows[rows.length - 1]) : null;
      if (shape.kind === 'first') previousCursor = null;
      // An empty page past the cursor still leads back: to the rows up to the boundary.
      else previousCursor = cursorAt(rows[0]) ?? encodeCursor(scope, { ...shape.bound, inclusive: !shape.bound.inclusive });
      placement = { startsAtFirst: shape.kind === 'first', endsAtLast: !more, rowsBefore: false, rowsAfter: more };
      break;
    }
    case 'at': {
      const seenBefore = fetched.some((row) => row[PART] === 0);
      const from = fetched.filter((row) => row[PART] === 1);
      rows = from.slice(0, n);
      const more = from.length > n;
      nextCursor = more ? cursorAt(rows[rows.length - 1]) : null;
      // Nothing before the located row: this is the first page, and Previous has nowhere to go.
      previousCursor = seenBefore ? (cursorAt(rows[0]) ?? encodeCursor(scope, { ...shape.bound, inclusive: false })) : null;
      placement = { startsAtFirst: !seenBefore, endsAtLast: !more, rowsBefore: seenBefore, rowsAfter: more };
      for (const row of rows as Array<Row & { [PART]?: number }>) delete row[PART];
      break;
    }
    case 'last': {
      const more = fetched.length > n;
      rows = fetched.slice(0, n).reverse();
      nextCursor = null;
      previousCursor = more ? cursorAt(rows[0]) : null;
      placement = { startsAtFirst: !more, endsAtLast: true, rowsBefore: more, rowsAfter: false };
      break;
    }
    case 'before': {
      const before = fetched.filter((row) => row[PART] === 0);
      const from = fetched.filter((row) => row[PART] === 1);
      if (before.length > n) {
        rows = before.slice(0, n).reverse();
        previousCursor = cursorAt(rows[0]);
        nextCursor = from.length > 0 ? cursorAt(rows[rows.length - 1]) : null;
        placement = { startsAtFirst: false, endsAtLast: from.length === 0, rowsBefore: true, rowsAfter: from.length > 0 };
      } else {
        // Fewer than a page precede the cursor: the first page instead.
        const fill = n - before.length;
        rows = [...before.reverse(), ...from.slice(0, fill)];
        previousCursor = null;
        nextCursor = from.length > fill ? cursorAt(rows[rows.length - 1]) : null;
        placement = { startsAtFirst: true, endsAtLast: from.length <= fill, rowsBefore: false, rowsAfter: from.length > fill };
      }
      for (const row of rows as Array<Row & { [PART]?: number }>) delete row[PART];
      break;
    }
  }
  const total = request.withTotal
    ? await listTotal(db, spec, selection, { ...placement, shown: rows.length, budgetMs: options.countBudgetMs ?? COUNT_BUDGET_MS })
    : null;
  return { rows, nextCursor, previousCursor, total };
}

export function countStatement(
  spec: ListSpec<{ id: number }, string>,
  selection: Selection,
  extra: string[] = [],
  values = selection.values,
): Statement {
  return {
    text: `SELECT count(*) AS count FROM ${spec.countFrom}${whereClause([...selection.conditions, ...extra])}`,
    values,
    prepare: false,
  };
}

/** The planner's row estimate for the selection: instant, and labelled as an estimate wherever it is shown. */
export async function plannerEstimate(db: Database, spec: ListSpec<{ id: number }, string>, selection: Selection): Promise<number> {
  const [row] = await runStatement<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(db, {
    text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${spec.countFrom}${whereClause(selection.conditions)}`,
    values: selection.values,
    prepare: false,
  });
  return Math.round(row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
}

/**
 * An exact count if it finishes within the budget, else null. A count that ran out of a budget as
 * long in the last minute is not run again (null at once): a listing asks its total on every load,
 * and the same count would only be cancelled again, holding a connection for the whole budget.
 */
export async function timeBoxedCount(db: Database, statement: Statement, budgetMs: number): Promise<number | null> {
  const key = `${statement.text}\u0000${JSON.stringify(statement.values)}`;
  if (countRecentlyTimedOut(db, key, budgetMs)) return null;
  const rows = await runTimeBoxed<{ count: string }>(db, statement, budgetMs);
  if (!rows) rememberCountTimeout(db, key, budgetMs);
  return rows ? Number(rows[0]?.count ?? 0) : null;
}

/**
 * How many rows the selection holds, as the contract promises: never fewer than the rows the page
 * shows (and one more for each side the page itself saw a row on), exact whenever that is cheap to
 * know. A side only counts when a row was seen there: a cursor is no proof, and an exact total one
 * too high (12 beside 11 rows) is worse than none.
 * - the page holds every row (it starts at the first and ends at the last): its own length;
 * - no search or filter on a large table: the cached table figure (exact when the table could be
 *   counted within the budget, else the estimate, labelled), no count per page;
 * - otherwise an exact count, given COUNT_BUDGET_MS; past that, the planner's estimate, labelled.
 */
export async function listTotal(
  db: Database,
  spec: ListSpec<{ id: number }, string>,
  selection: Selection,
  page: Placement & { shown: number; budgetMs: number },
): Promise<Total> {
  if (page.startsAtFirst && page.endsAtLast) return { count: page.shown, estimated: false };
  const atLeast = page.shown + (page.rowsAfter ? 1 : 0) + (page.rowsBefore ? 1 : 0);
  if (!selection.conditions.length) {
    // A large table: its cached figure, exact when it could be counted within the budget (see tableTotal).
    const table = await tableTotal(db, spec.table, page.budgetMs);
    if (table.count > EXACT_COUNT_LIMIT) return { count: Math.max(table.count, atLeast), estimated: !table.exact };
  }
  const exact = await timeBoxedCount(db, countStatement(spec, selection), page.budgetMs);
  // A row deleted between the page and the count must not make the total smaller than the page.
  if (exact !== null) return { count: Math.max(exact, atLeast), estimated: false };
  return { count: Math.max(await plannerEstimate(db, spec, selection), atLeast), estimated: true };
}
