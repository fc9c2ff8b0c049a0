import { INT4_MAX, type UserFilters, type UserMatch } from '../../shared/contract';
import type { Database } from '../db/connect';
import { AppError } from '../errors/app-error';
import { binder, type Selection } from '../lists/keyset';
import { searchNote } from '../lists/search-note';
import { searchedId, typedId } from '../lists/typed-id';
import { containsPattern, likeLiteral } from './queries';

/** What a list, a count, a locate or a bulk delete is about: the search box and the filters. */
export interface UserSelectionInput {
  search: string;
  match: UserMatch;
  filters: UserFilters;
}

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Where the search sits in the request, for its errors: top level in a list, a locate or a count,
 * nested in a bulk delete's selection ("selection.search"), so the error names the field as sent.
 */
export type SearchField = 'search' | 'selection.search';

/** The domain a "domain" search names: "example.com" or "@example.com". */
function searchedDomain(search: string, field: SearchField): string {
  const domain = search.replace(/^@/, '');
  if (!domain || domain.includes('@') || /\s/.test(domain)) {
    throw new AppError('VALIDATION', 'To search by domain, type a domain like example.com (or @example.com).', { field });
  }
  return domain;
}

/**
 * The search and filters as SQL conditions on `users` (each value bound, never spliced), shared by
 * the list, locate, the exact count and the bulk delete, so they always agree on which users are
 * meant. Every condition is served by an index: trigram indexes for the text searches (ILIKE, with
 * the admin's own % and _ taken literally), the primary key for ids, (created_at, id) for dates,
 * and products' owner index for "owns products".
 */
export function userSelection(input: UserSelectionInput, values: unknown[] = [], searchField: SearchField = 'search'): Selection {
  const conditions: string[] = [];
  const bind = binder(values);
  let genericSafe = true;
  const keyRanges: NonNullable<Selection['keyRanges']> = {};
  const { search, match, filters } = input;
  if (search) {
    switch (match) {
      case 'contains': {
        const pattern = bind(containsPattern(search));
        conditions.push(`(email ILIKE ${pattern} OR name ILIKE ${pattern})`);
        genericSafe = false;
        break;
      }
      case 'id': {
        const id = searchedId(search, 'user', searchField);
        conditions.push(`id = ${bind(id)}::integer`);
        keyRanges.id = { from: id, to: id };
        break;
      }
      case 'email':
        // The whole address in any case: the trigram index finds it (its trigrams are the address's).
        conditions.push(`email ILIKE ${bind(likeLiteral(search))}`);
        genericSafe = false;
        break;
      case 'domain':
        conditions.push(`email ILIKE ${bind(`%@${likeLiteral(searchedDomain(search, searchField))}`)}`);
        genericSafe = false;
        break;
    }
  }
  if (filters.createdFrom) {
    conditions.push(`created_at >= ${bind(filters.createdFrom)}::date`);
    genericSafe = false;
  }
  if (filters.createdTo) {
    // The whole day: before the start of the next one.
    conditions.push(`created_at < ${bind(filters.createdTo)}::date + 1`);
    genericSafe = false;
  }
  if (filters.createdFrom || filters.createdTo) {
    keyRanges.created_at = {
      ...(filters.createdFrom ? { from: `${filters.createdFrom}T00:00:00` } : {}),
      ...(filters.createdTo ? { to: `${filters.createdTo}T23:59:59.999999` } : {}),
    };
  }
  if (filters.idFrom !== undefined) {
    conditions.push(`id >= ${bind(filters.idFrom)}::integer`);
    genericSafe = false;
  }
  if (filters.idTo !== undefined) {
    conditions.push(`id <= ${bind(filters.idTo)}::integer`);
    genericSafe = false;
  }
  if (filters.idFrom !== undefined || filters.idTo !== undefined) {
    keyRanges.id = {
      from: Math.max(filters.idFrom ?? 1, Number(keyRanges.id?.from ?? 1)),
      to: Math.min(filters.idTo ?? INT4_MAX, Number(keyRanges.id?.to ?? INT4_MAX)),
    };
  }
  if (filters.products === 'some') conditions.push('EXISTS (SELECT 1 FROM products WHERE products.owner_id = users.id)');
  if (filters.products === 'none') conditions.push('NOT EXISTS (SELECT 1 FROM products WHERE products.owner_id = users.id)');
  return {
    conditions,
    values,
    genericSafe,
    scope: { search, match: search ? match : 'contains', filters },
    keyRanges,
  };
}

/** Why this search reads the whole table here, if it does. */
export async function userSearchNote(db: Database, input: UserSelectionInput): Promise<string | null> {
  if (!input.search || input.match === 'id') return null;
  const term = input.match === 'domain' ? `@${input.search.replace(/^@/, '')}` : input.search;
  const indexes = input.match === 'contains' ? ['ix_users_email_trgm', 'ix_users_name_trgm'] : ['ix_users_email_trgm'];
  return searchNote(db, { table: 'users', indexes, term });
}

/** The search and filters in words, for job titles and summaries: ["matching “ann”", "owning no products"]. */
export function describeSelection(input: UserSelectionInput): string[] {
  const parts: string[] = [];
  const { search, match, filters } = input;
  if (search) {
    if (match === 'contains') parts.push(`matching “${search}”`);
    if (match === 'id') parts.push(`with id ${typedId(search) ?? search.replace(/^#/, '')}`);
    if (match === 'email') parts.push(`with the email “${search}”`);
    if (match === 'domain') parts.push(`with emails at ${search.replace(/^@/, '')}`);
  }
  if (filters.createdFrom && filters.createdTo) parts.push(`created ${filters.createdFrom} to ${filters.createdTo}`);
  else if (filters.createdFrom) parts.push(`created on or after ${filters.createdFrom}`);
  else if (filters.createdTo) parts.push(`created on or before ${filters.createdTo}`);
  const id = (n: number) => numberFormat.format(n);
  if (filters.idFrom !== undefined && filters.idTo !== undefined) parts.push(`with ids ${id(filters.idFrom)} to ${id(filters.idTo)}`);
  else if (filters.idFrom !== undefined) parts.push(`with ids from ${id(filters.idFrom)}`);
  else if (filters.idTo !== undefined) parts.push(`with ids up to ${id(filters.idTo)}`);
  if (filters.products === 'some') parts.push('owning products');
  if (filters.products === 'none') parts.push('owning no products');
  return parts;
}
