import { productNameSchema } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';

export type ProductField = 'name' | 'ownerId';
export type ProductFieldErrors = Partial<Record<ProductField, string>>;

/**
 * Checks a name with the contract's own schema, so the window says what the server would say
 * without a round trip. `stored` is the product's current name when editing: a name left as it
 * was is not checked (another tool may have stored one today's rules refuse), and a NULL name
 * left empty stays NULL rather than being refused as "required".
 */
export function checkProductName(value: string, stored?: string | null): { ok: true; name: string | undefined } | { ok: false; message: string } {
  if (stored !== undefined && (value === stored || (stored === null && value.trim() === ''))) return { ok: true, name: undefined };
  const result = productNameSchema.safeParse(value);
  if (result.success) return { ok: true, name: stored !== undefined && result.data === stored ? undefined : result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? 'This name is not valid' };
}

/**
 * Where a server error belongs: at the name or the owner field when it names one (a VALIDATION
 * message; an owner deleted meanwhile is VALIDATION on `ownerId`, saying to choose another),
 * otherwise at the top of the form.
 */
export function placeProductError(error: ApiError): { field: ProductField; message: string } | null {
  if (error.field === 'name' || error.field === 'ownerId') return { field: error.field, message: error.message };
  return null;
}
