import type { Total, UserMatch } from '../../../shared/contract';
import { countOf, formatNumber } from '../../lib/format/count';
import type { FirstRow } from '../../lib/keysetListStore';
import { pageRangeText } from '../../ui/KeysetPager';
import type { UsersListFilters } from './usersStore';

/** "1,000,000" or "about 1,000,000": an estimate is never shown as a count. */
export function totalNumberText(total: Total): string {
  return total.estimated ? `about ${formatNumber(total.count)}` : formatNumber(total.count);
}

/**
 * Where the page sits: "Rows 26–50 of 60", "Rows ≈500,001–500,025 of about 1,000,000" (≈ when the
 * row numbers come from statistics), "25 rows of about 1,000,000" when they are not known. Null
 * when nothing is shown. The total said is never smaller than the last row number shown.
 */
export function rowsLabel(firstRow: FirstRow, rows: number, total: Total | null): string | null {
  if (rows === 0) return null;
  let of = '';
  if (total) {
    const last = firstRow.row === null ? rows : firstRow.row + rows - 1;
    of = ` of ${totalNumberText({ ...total, count: Math.max(total.count, last) })}`;
  }
  // The range in the pager's own words ("Rows ≈26–50"), or how many when where is not known.
  return `${pageRangeText({ firstRow, rows }) ?? countOf(rows, 'row')}${of}`;
}

export const MATCH_LABELS: Record<UserMatch, string> = {
  contains: 'Contains',
  id: 'ID',
  email: 'Exact email',
  domain: 'Email domain',
};

export const MATCH_PLACEHOLDERS: Record<UserMatch, string> = {
  contains: 'Part of an email or name',
  id: 'A user id, e.g. 42',
  email: 'A whole email, e.g. ann@example.com',
  domain: 'A domain, e.g. example.com',
};

export const PRODUCTS_FILTER_LABELS = { any: 'Any', some: 'Owns some', none: 'Owns none' } as const;

/** The filters that are set (the match mode is how the search reads, not a filter). */
export function activeFilterCount(filters: UsersListFilters): number {
  return (
    [filters.createdFrom, filters.createdTo, filters.idFrom, filters.idTo].filter((value) => value !== undefined).length +
    (filters.products === 'any' ? 0 : 1)
  );
}

/**
 * The users a search and filters select, in words, for a confirmation: "users whose email or name
 * contains “ann”, created from 2024-01-01, owning no products". "all users" when nothing narrows it.
 */
export function selectionInWords(search: string, filters: UsersListFilters): string {
  const parts: string[] = [];
  if (search) {
    if (filters.match === 'id') parts.push(`with id ${search}`);
    else if (filters.match === 'email') parts.push(`with the email “${search}”`);
    else if (filters.match === 'domain') parts.push(`with an email at “${search.replace(/^@/, '')}”`);
    else parts.push(`whose email or name contains “${search}”`);
  }
  if (filters.createdFrom && filters.createdTo) parts.push(`created ${filters.createdFrom} to ${filters.createdTo}`);
  else if (filters.createdFrom) parts.push(`created on or after ${filters.createdFrom}`);
  else if (filters.createdTo) parts.push(`created on or before ${filters.createdTo}`);
  if (filters.idFrom !== undefined && filters.idTo !== undefined)
    parts.push(`with ids ${formatNumber(filters.idFrom)} to ${formatNumber(filters.idTo)}`);
  else if (filters.idFrom !== undefined) parts.push(`with ids from ${formatNumber(filters.idFrom)}`);
  else if (filters.idTo !== undefined) parts.push(`with ids up to ${formatNumber(filters.idTo)}`);
  if (filters.products === 'some') parts.push('owning at least one product');
  else if (filters.products === 'none') parts.push('owning no products');
  return parts.length === 0 ? 'all users' : `users ${parts.join(', ')}`;
}

/** The filter fields, for messages and for placing the server's errors. */
export type FilterField = 'createdFrom' | 'createdTo' | 'idFrom' | 'idTo' | 'products';

export const FILTER_LABELS: Record<FilterField, string> = {
  createdFrom: 'Created from',
  createdTo: 'Created to',
  idFrom: 'ID from',
  idTo: 'ID to',
  products: 'Owns products',
};

const FILTER_FIELDS = Object.keys(FILTER_LABELS) as FilterField[];

/**
 * Where a VALIDATION error's `field` belongs on this screen: a filter ("filters.createdTo", also
 * inside a bulk selection, "selection.filters.idTo"), the search box ("search", "match"), or
 * nowhere in particular.
 */
export function placeListField(field: string | undefined): { kind: 'filter'; field: FilterField } | { kind: 'search' } | null {
  if (!field) return null;
  const path = field.replace(/^selection\./, '').split('.');
  if (path[0] === 'filters') {
    const name = FILTER_FIELDS.find((candidate) => candidate === path[1]);
    // A refinement on the whole object (no field below it) is about the range: shown at "to".
    return { kind: 'filter', field: name ?? 'createdTo' };
  }
  if (path[0] === 'search' || path[0] === 'match') return { kind: 'search' };
  return null;
}
