import type { z } from 'zod';
import { emailSchema, nameSchema } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';

export type UserField = 'email' | 'name';
export type FieldErrors = Partial<Record<UserField, string>>;

function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'This value is not valid';
}

/**
 * Runs the contract's own schemas, so the window says exactly what the server would say, without
 * a round trip. Returns the normalised values (trimmed, email lower-cased) or the field errors.
 */
export function validateUserForm(email: string, name: string): { ok: true; email: string; name: string } | { ok: false; errors: FieldErrors } {
  const emailResult = emailSchema.safeParse(email);
  const nameResult = nameSchema.safeParse(name);
  if (emailResult.success && nameResult.success) {
    return { ok: true, email: emailResult.data, name: nameResult.data };
  }
  const errors: FieldErrors = {};
  if (!emailResult.success) errors.email = firstMessage(emailResult.error);
  if (!nameResult.success) errors.name = firstMessage(nameResult.error);
  return { ok: false, errors };
}

/**
 * Where a server error belongs: a field's VALIDATION message and a duplicate email (CONFLICT on
 * `email`, whose message names the existing user) sit under the field; anything else (another
 * CONFLICT, say a concurrent change) is form-level.
 */
export function placeServerError(error: ApiError): { field: UserField; message: string } | null {
  if (error.code === 'CONFLICT' && error.field === 'email') return { field: 'email', message: error.message };
  if (error.code === 'VALIDATION' && (error.field === 'email' || error.field === 'name')) {
    return { field: error.field, message: error.message };
  }
  return null;
}
