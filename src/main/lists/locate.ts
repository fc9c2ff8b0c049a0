import { INT4_MAX, PAGE_SIZES, type LocateOutput, type LocateTarget } from '../../shared/contract';
import type { Database } from '../db/connect';
import { runStatement } from '../db/prepared';
import { tableTotal } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import { encodeCursor, isTimestamp, type CursorPosition } from './cursor';
import {
  boundCondition,
  COUNT_BUDGET_MS,
  countStatement,
  cursorScope,
  EXACT_COUNT_LIMIT,
  keyText,
  orderBy,
  plannerEstimate,
  timeBoxedCount,
  whereClause,
  type ListSpec,
  type Selection,
  type SortSpec,
} from './keyset';
import { typedId } from './typed-id';

/**
 * Where a page should start: at a row by id, at a value of the sort column, or at a position
 * (a share of the way, or a row number). Never by OFFSET on a large list: a position becomes a key
 * through the column's statistics (pg_stats' histogram and most common values; the id's min and
 * max), and the page is walked by key from there, so row 500,000 costs what row 1 does. That
 * landing is approximate (within a bucket of the histogram, about 1% of the rows) and says so.
 */

export interface LocateRequest<Sort extends string> {
  sort: Sort;
  direction: 'asc' | 'desc';
  target: LocateTarget;
  /** The window's exact total for this listing, when it has one (see locateContextFields): trusted over any estimate. */
  knownTotal?: number | undefined;
  /** The page the landing is shown in: the end (or past it) lands on the last full page. */
  pageSize?: number | undefined;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** Sorts after every text of the same prefix (ICU's root collation gives U+FFFF the highest weight; in C it is above every BMP letter). */
const TEXT_TOP = '\uFFFF';

/** Keys below and above every real one, so an empty list still gets a cursor that means "from the start". */
function extremes(sort: SortSpec): { lowest: CursorPosition; highest: CursorPosition } {
  switch (sort.kind) {
    case 'int':
      return { lowest: { value: 0, id: 0, inclusive: true }, highest: { value: INT4_MAX, id: INT4_MAX, inclusive: true } };
    case 'text':
      return { lowest: { value: '', id: 0, inclusive: true }, highest: { value: TEXT_TOP, id: INT4_MAX, inclusive: true } };
    case 'timestamp':
      return {
        lowest: { value: '0001-01-01T00:00:00', id: 0, inclusive: true },
        highest: { value: '9999-12-31T23:59:59.999999', id: INT4_MAX, inclusive: true },
      };
  }
}

const valueError = (message: string) => new AppError('VALIDATION', message, { field: 'target.value' });

/**
 * A typed value as the first key of the order to show: ids and dates as given, text as a prefix.
 * In a descending order the page starts at the last key the value covers (the end of the day,
 * the last name starting with the prefix), so going to "Smi" in Z→A still shows the Smiths first.
 */
export function valuePosition(sort: SortSpec, direction: 'asc' | 'desc', typed: string): { position: CursorPosition; shown: string } {
  const descending = direction === 'desc';
  switch (sort.kind) {
    case 'int': {
      const typedNumber = typedId(typed);
      if (typedNumber === null) throw valueError('Type an id: a whole number, like 1000.');
      const id = Math.min(typedNumber, INT4_MAX);
      return { position: { value: id, id, inclusive: true }, shown: numberFormat.format(id) };
    }
    case 'text':
      return descending
        ? { position: { value: typed + TEXT_TOP, id: INT4_MAX, inclusive: true }, shown: typed }
        : { position: { value: typed, id: 0, inclusive: true }, shown: typed };
    case 'timestamp': {
      const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?$/.exec(typed);
      if (!match) throw valueError('Type a date like 2024-05-31, or a date and time like 2024-05-31 14:30.');
      const [, day, hour, minute, second, fraction] = match;
      // The first or last moment of what was typed: the day, the minute, the second.
      const time = descending
        ? `${hour ?? '23'}:${minute ?? '59'}:${second ?? '59'}${fraction ? fraction.padEnd(7, '9') : '.999999'}`
        : `${hour ?? '00'}:${minute ?? '00'}:${second ?? '00'}${fraction ?? ''}`;
      const value = `${day}T${time}`;
      if (!isTimestamp(value)) throw valueError(`${typed} is not a date that exists.`);
      return { position: { value, id: descending ? INT4_MAX : 0, inclusive: true }, shown: typed };
    }
  }
}

/** Rows of the selection before `position` in display order: exact if counting takes no longer than the budget, else null. */
async function rowsBefore<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  request: LocateRequest<Sort>,
  selection: Selection,
  position: CursorPosition,
  budgetMs: number,
): Promise<number | null> {
  const values = [...selection.values];
  const before = boundCondition(spec.sorts[request.sort], spec.id, request.direction, 'before', { ...position, inclusive: false }, values);
  return timeBoxedCount(db, countStatement(spec, selection, [before], values), budgetMs);
}

/**
 * The selection's size: the window's exact total when it sent one; else exact when cheap (a small
 * table, a whole table counted within the budget, a count within the budget), else the planner's
 * estimate. The window's total wins even over a fresh estimate: after Count exactly it shows
 * 128,948 rows, and a row number or a share must be of those, not of "about 92,642".
 */
async function selectionSize(
  db: Database,
  spec: ListSpec<{ id: number }, string>,
  selection: Selection,
  budgetMs: number,
  knownTotal: number | undefined,
): Promise<{ count: number; exact: boolean }> {
  if (knownTotal !== undefined) return { count: knownTotal, exact: true };
  if (!selection.conditions.length) {
    const table = await tableTotal(db, spec.table, budgetMs);
    // A table the bounded count found small (whatever its stale estimate said) is counted below, so its positions are exact.
    if (table.count > EXACT_COUNT_LIMIT) return table;
  }
  const exact = await timeBoxedCount(db, countStatement(spec, selection), budgetMs);
  if (exact !== null) return { count: exact, exact: true };
  return { count: await plannerEstimate(db, spec, selection), exact: false };
}

interface Candidate {
  value: string;
  /** Timestamps: seconds since the epoch, to interpolate between bounds. */
  epoch: number | null;
  kind: 'h' | 'm';
  freq: number | null;
}

/**
 * The statistics of a sort key as one ordered list of histogram bounds and most common values,
 * sorted by PostgreSQL (so by the column's own collation, never JavaScript's).
 */
async function keyStatistics(db: Database, sort: SortSpec): Promise<{ nullFrac: number; candidates: Candidate[] }> {
  const array = sort.kind === 'timestamp' ? 'timestamp[]' : 'varchar[]';
  const value = sort.kind === 'timestamp' ? `to_char(c.v, 'YYYY-MM-DD"T"HH24:MI:SS.US')` : 'c.v::text';
  const epoch = sort.kind === 'timestamp' ? 'extract(epoch FROM c.v)::float8' : 'NULL::float8';
  const rows = await runStatement<Candidate & { nullFrac: number }>(db, {
    text: `WITH s AS (
             SELECT st.null_frac::float8 AS null_frac, st.histogram_bounds::text AS hist, st.most_common_vals::text AS mcv,
                    st.most_common_freqs::float8[] AS mcf
               FROM pg_stats st
              WHERE st.schemaname = current_schema() AND st.tablename = $1 AND st.attname = $2
              LIMIT 1),
           c AS (SELECT u.v, 'h' AS kind, NULL::float8 AS freq FROM s, unnest(s.hist::${array}) AS u(v)
                 UNION ALL
                 SELECT u.v, 'm', u.f FROM s, unnest(s.mcv::${array}, s.mcf) AS u(v, f))
         SELECT (SELECT null_frac FROM s) AS "nullFrac", ${value} AS value, ${epoch} AS epoch, c.kind, c.freq FROM c ORDER BY c.v, c.kind`,
    values: [sort.stats!.relation, sort.stats!.column],
    prepare: true,
  });
  return { nullFrac: rows[0]?.nullFrac ?? 0, candidates: rows.map(({ value, epoch, kind, freq }) => ({ value, epoch, kind, freq })) };
}

/** Each candidate with the share of (non-null) rows before it; a most common value also covers its own frequency. */
function cumulative(stats: { nullFrac: number; candidates: Candidate[] }): Array<Candidate & { at: number; covers: number }> {
  const bounds = stats.candidates.filter((c) => c.kind === 'h').length;
  const common = stats.candidates.reduce((sum, c) => sum + (c.kind === 'm' ? (c.freq ?? 0) : 0), 0);
  const nonNull = Math.max(1e-9, 1 - stats.nullFrac);
  const bucket = bounds > 1 ? Math.max(0, nonNull - common) / (bounds - 1) : 0;
  let commonBefore = 0;
  let boundsPassed = 0;
  return stats.candidates.map((candidate) => {
    // A common value between two bounds sits, as far as is known, halfway through their bucket.
    const histogram = candidate.kind === 'h' ? boundsPassed : Math.min(Math.max(boundsPassed - 0.5, 0), Math.max(bounds - 1, 0));
    const at = (commonBefore + bucket * histogram) / nonNull;
    const covers = candidate.kind === 'm' ? (candidate.freq ?? 0) / nonNull : 0;
    if (candidate.kind === 'h') boundsPassed++;
    else commonBefore += candidate.freq ?? 0;
    return { ...candidate, at, covers };
  });
}

function timestampOf(epoch: number): string {
  const wholeMs = Math.floor(epoch * 1000);
  const micros = Math.round((epoch * 1000 - wholeMs) * 1000);
  return `${new Date(wholeMs).toISOString().slice(0, 23)}${String(Math.min(micros, 999)).padStart(3, '0')}`;
}

/** The key at share `t` (0 to 1) of the ascending order, from the statistics; null when there are none. */
function keyAtShare(
  sort: SortSpec,
  stats: { nullFrac: number; candidates: Candidate[] },
  t: number,
  idRange: { min: number; max: number },
): { value: string; id: number | null } | null {
  const points = cumulative(stats);
  if (!points.length) return null;
  let index = 0;
  while (index + 1 < points.length && points[index + 1]!.at <= t) index++;
  const here = points[index]!;
  const next = points[index + 1];
  // Inside a most common value's run: its rows are in id order, so guess the id by the same share.
  if (here.kind === 'm' && t < here.at + here.covers) {
    const share = here.covers > 0 ? (t - here.at) / here.covers : 0;
    return { value: here.value, id: Math.round(idRange.min + share * (idRange.max - idRange.min)) };
  }
  if (!next) return { value: here.value, id: null };
  const start = here.at + here.covers;
  const share = next.at > start ? Math.min(1, Math.max(0, (t - start) / (next.at - start))) : 0;
  // Dates interpolate between the bounds; text cannot, so the nearer bound it is.
  if (sort.kind === 'timestamp' && here.epoch !== null && next.epoch !== null) {
    return { value: timestampOf(here.epoch + share * (next.epoch - here.epoch)), id: null };
  }
  return { value: share < 0.5 ? here.value : next.value, id: null };
}

/** Where share `t` of a key's range starts, for the kinds that can be interpolated (ids, dates). */
function shareOf(sort: SortSpec, stats: { nullFrac: number; candidates: Candidate[] }, key: string | number): number | null {
  if (sort.kind !== 'timestamp' || typeof key !== 'string') return null;
  const points = cumulative(stats).filter((p) => p.epoch !== null);
  if (!points.length) return null;
  const epoch = Date.parse(`${key.slice(0, 23)}Z`) / 1000;
  if (epoch <= points[0]!.epoch!) return 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (epoch < b.epoch!) return a.at + a.covers + ((epoch - a.epoch!) / Math.max(1e-9, b.epoch! - a.epoch!)) * (b.at - a.at - a.covers);
  }
  return 1;
}

/** A sample's key at share `t`, for a large table never analysed (no statistics yet). */
async function sampledKeyAt<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  sort: SortSpec,
  t: number,
  rows: number,
): Promise<string | null> {
  // About 30,000 rows, the same sample ANALYZE would take.
  const percent = Math.min(100, Math.max(0.01, (30_000 / Math.max(rows, 1)) * 100));
  const [row] = await runStatement<{ value: string | null }>(db, {
    text: `SELECT ${keyText(sort, `percentile_disc($1::float8) WITHIN GROUP (ORDER BY ${sort.expression})`)} AS value FROM ${spec.countFrom} TABLESAMPLE SYSTEM (${percent.toFixed(4)})`,
    values: [t],
    prepare: false,
  });
  return row?.value ?? null;
}

/** Where a share of the way through a large list starts, as a key found from statistics. */
async function positionAtShare<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  request: LocateRequest<Sort>,
  selection: Selection,
  displayShare: number,
  rows: number,
): Promise<CursorPosition> {
  const sort = spec.sorts[request.sort];
  const descending = request.direction === 'desc';
  let t = descending ? 1 - displayShare : displayShare;
  const [range] = await runStatement<{ min: number | null; max: number | null }>(db, {
    text: `SELECT min(${spec.id}) AS min, max(${spec.id}) AS max FROM ${spec.countFrom}`,
    values: [],
    prepare: true,
  });
  const filterRange = selection.keyRanges?.[request.sort];
  const idRange = { min: range?.min ?? 0, max: range?.max ?? 0 };
  if (!sort.stats) {
    // The id: spread evenly enough between the lowest and highest (gaps from deletes aside).
    const low = Math.max(idRange.min, Number(filterRange?.from ?? idRange.min));
    const high = Math.min(idRange.max, Number(filterRange?.to ?? idRange.max));
    const id = Math.round(low + t * Math.max(0, high - low));
    return { value: id, id, inclusive: true };
  }
  const stats = await keyStatistics(db, sort);
  if (filterRange) {
    // A date filter: the share is of the rows inside it.
    const low = filterRange.from !== undefined ? shareOf(sort, stats, filterRange.from) : 0;
    const high = filterRange.to !== undefined ? shareOf(sort, stats, filterRange.to) : 1;
    if (low !== null && high !== null) t = low + t * Math.max(0, high - low);
  }
  const key = keyAtShare(sort, stats, t, idRange);
  if (key) return { value: key.value, id: key.id ?? (descending ? INT4_MAX : 0), inclusive: true };
  const sampled = await sampledKeyAt(db, spec, sort, t, rows);
  const { lowest, highest } = extremes(sort);
  if (sampled === null) return descending ? highest : lowest;
  return { value: sampled, id: descending ? INT4_MAX : 0, inclusive: true };
}

/** The exact key at row `index` (0-based) of a small selection: bounded by EXACT_COUNT_LIMIT rows, so the skip costs little. */
async function keyAtRow<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  request: LocateRequest<Sort>,
  selection: Selection,
  index: number,
): Promise<CursorPosition | null> {
  const sort = spec.sorts[request.sort];
  const values = [...selection.values, index];
  const [row] = await runStatement<{ key: string | number; id: number }>(db, {
    text: `SELECT ${keyText(sort)} AS key, ${spec.id} AS id FROM ${spec.countFrom}${whereClause(selection.conditions)} ORDER BY ${orderBy(sort, spec.id, request.direction)} OFFSET $${values.length} LIMIT 1`,
    values,
    prepare: false,
  });
  return row ? { value: row.key, id: row.id, inclusive: true } : null;
}

/**
 * Where the selection's last full page starts in display order: `pageSize` steps of a backward
 * index walk (at most 100 rows, whatever the list's size). With fewer rows than a page, the first
 * row; null when the selection is empty. `rows` is how many rows that page holds.
 */
async function lastPageStart<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  request: LocateRequest<Sort>,
  selection: Selection,
  pageSize: number,
): Promise<{ position: CursorPosition; rows: number } | null> {
  const sort = spec.sorts[request.sort];
  const backward = request.direction === 'asc' ? 'desc' : 'asc';
  const rows = await runStatement<{ key: string | number; id: number }>(db, {
    text: `SELECT ${keyText(sort)} AS key, ${spec.id} AS id FROM ${spec.countFrom}${whereClause(selection.conditions)} ORDER BY ${orderBy(sort, spec.id, backward)} LIMIT ${pageSize}`,
    values: selection.values,
    prepare: selection.genericSafe,
  });
  const start = rows[rows.length - 1];
  return start ? { position: { value: start.key, id: start.id, inclusive: true }, rows: rows.length } : null;
}

export async function locate<Sort extends string>(
  db: Database,
  spec: ListSpec<{ id: number }, Sort>,
  request: LocateRequest<Sort>,
  selection: Selection,
  options: { countBudgetMs?: number } = {},
): Promise<LocateOutput> {
  const budgetMs = options.countBudgetMs ?? COUNT_BUDGET_MS;
  const sort = spec.sorts[request.sort];
  const scope = cursorScope(spec, request.sort, request.direction, selection);
  const { target } = request;
  const answer = (position: CursorPosition, row: number | null, approximate: boolean, message: string): LocateOutput => ({
    cursor: encodeCursor(scope, position),
    row,
    approximate,
    message,
  });

  if (target.kind === 'id' || target.kind === 'value') {
    let position: CursorPosition;
    let message: string;
    if (target.kind === 'id') {
      const values = [...selection.values, target.id];
      const [row] = await runStatement<{ key: string | number; id: number }>(db, {
        text: `SELECT ${keyText(sort)} AS key, ${spec.id} AS id FROM ${spec.countFrom}${whereClause([...selection.conditions, `${spec.id} = $${values.length}`])}`,
        values,
        prepare: selection.genericSafe,
      });
      if (!row) {
        const [exists] = await runStatement(db, {
          text: `SELECT 1 FROM ${spec.countFrom} WHERE ${spec.id} = $1`,
          values: [target.id],
          prepare: true,
        });
        throw new AppError(
          'NOT_FOUND',
          exists
            ? `${spec.noun.title} #${target.id} does not match the current search or filters. Clear them to go to it.`
            : `${spec.noun.title} #${target.id} does not exist (it may have been deleted).`,
          { field: 'target.id' },
        );
      }
      position = { value: row.key, id: row.id, inclusive: true };
      message = `${spec.noun.title} #${target.id} is on this page`;
    } else {
      const typed = valuePosition(sort, request.direction, target.value);
      position = typed.position;
      message = `${sort.label} from “${typed.shown}”`;
    }
    const before = await rowsBefore(db, spec, request, selection, position, budgetMs);
    return answer(position, before === null ? null : before + 1, false, message);
  }

  const size = await selectionSize(db, spec, selection, budgetMs, request.knownTotal);
  const { lowest, highest } = extremes(sort);
  const start = request.direction === 'desc' ? highest : lowest;
  if (size.count === 0) return answer(start, null, false, `No ${spec.noun.many} to go to`);
  const last = size.count - 1;
  const index = target.kind === 'fraction' ? Math.round(target.fraction * last) : Math.min(target.row - 1, last);
  // The ends need no statistics: the order's first row is where it starts, and its last full page
  // is a short backward walk (not a page of one row: 100% shows as much as any other page).
  if (index === 0 && !(target.kind === 'row' && target.row > size.count)) return answer(start, 1, false, 'Row 1');
  if (index === last) {
    const end = await lastPageStart(db, spec, request, selection, request.pageSize ?? PAGE_SIZES[0]);
    if (end) {
      // Counted back from the size: exact when the size is, and the page shows the walk's rows wherever it starts.
      const row = Math.max(1, size.count - end.rows + 1);
      const about = size.exact ? '' : 'about ';
      const n = numberFormat.format(size.count);
      const message =
        target.kind === 'row' && target.row > size.count
          ? size.count === 1
            ? `There is only ${about}1 ${spec.noun.one}; showing it`
            : `There are only ${about}${n} ${spec.noun.many}; showing the last page`
          : 'The last page';
      return answer(end.position, row, !size.exact, message);
    }
  }
  if (size.exact && size.count <= EXACT_COUNT_LIMIT) {
    const position = await keyAtRow(db, spec, request, selection, index);
    if (position) return answer(position, index + 1, false, `Row ${numberFormat.format(index + 1)}`);
  }
  const share = index / last;
  const position = await positionAtShare(db, spec, request, selection, share, size.count);
  return answer(position, index + 1, true, `About row ${numberFormat.format(index + 1)}`);
}
