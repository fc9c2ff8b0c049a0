import { daySchema, userFiltersSchema, userIdSchema } from '../../../shared/contract';
import type { FilterField } from './usersFormat';
import type { UsersListFilters } from './usersStore';

/** The filters form as typed: text, so a half-typed value can be shown and explained. */
export interface FilterDraft {
  createdFrom: string;
  createdTo: string;
  idFrom: string;
  idTo: string;
  products: UsersListFilters['products'];
}

export type FilterErrors = Partial<Record<FilterField, string>>;

export function draftOf(filters: UsersListFilters): FilterDraft {
  return {
    createdFrom: filters.createdFrom ?? '',
    createdTo: filters.createdTo ?? '',
    idFrom: filters.idFrom === undefined ? '' : String(filters.idFrom),
    idTo: filters.idTo === undefined ? '' : String(filters.idTo),
    products: filters.products,
  };
}

function firstMessage(error: { issues: readonly { message: string }[] }): string {
  return error.issues[0]?.message ?? 'This value is not valid';
}

/**
 * Checks the typed filters with the contract's own schemas, so each field says what the server
 * would, before any request. `incomplete` names date fields the browser holds a half-typed or
 * impossible date in (it reports those as empty).
 */
export function checkFilters(
  draft: FilterDraft,
  incomplete: ReadonlySet<'createdFrom' | 'createdTo'> = new Set(),
): { ok: true; filters: Omit<UsersListFilters, 'match'> } | { ok: false; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const filters: Omit<UsersListFilters, 'match'> = { products: draft.products };
  for (const field of ['createdFrom', 'createdTo'] as const) {
    const text = draft[field].trim();
    if (incomplete.has(field)) {
      // The browser reports a half-typed date and an impossible one (02/30/2023) alike: an empty
      // value and badInput. So the message fits both.
      errors[field] = 'Enter a real date (day, month and year) or clear it.';
    } else if (text) {
      const day = daySchema.safeParse(text);
      if (day.success) filters[field] = day.data;
      else errors[field] = firstMessage(day.error);
    }
  }
  for (const field of ['idFrom', 'idTo'] as const) {
    const text = draft[field].trim().replace(/[,_\s]/g, '');
    if (!text) continue;
    if (!/^-?\d+$/.test(text)) {
      errors[field] = 'Type a whole number, e.g. 1000, or leave it empty.';
      continue;
    }
    const id = userIdSchema.safeParse(Number(text));
    if (id.success) filters[field] = id.data;
    else errors[field] = firstMessage(id.error);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The ranges: the schema's refinements name the field they are about ("to").
  const whole = userFiltersSchema.safeParse(filters);
  if (!whole.success) {
    for (const issue of whole.error.issues) {
      const field = issue.path[0];
      if (field === 'createdTo' || field === 'idTo' || field === 'createdFrom' || field === 'idFrom') errors[field] ??= issue.message;
    }
    return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { createdTo: firstMessage(whole.error) } };
  }
  return { ok: true, filters };
}
