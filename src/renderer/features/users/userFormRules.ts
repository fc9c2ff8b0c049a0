import type { z } from 'zod';
import { emailSchema, nameSchema } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';

export type UserField = 'email' | 'name';
export type FieldErrors = Partial<Record<UserField, string>>;

function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'This value is not valid';
}

type Checked = { ok: true; value: string } | { ok: false; message: string };

function check(schema: z.ZodType<string>, value: string, stored: string | undefined): Checked {
  // A value the admin left as it was is not theirs to fix now: rows written by other tools may
  // break today's rules (no "@", a tab in a name), and renaming such a user must still work.
  if (stored !== undefined && value === stored) return { ok: true, value };
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: firstMessage(result.error) };
}

/**
 * Runs the contract's own schemas, so the window says exactly what the server would say, without
 * a round trip. Returns the normalised values (trimmed, email lower-cased) or the field errors.
 * When editing, `stored` holds the user's current values: a field left unchanged is not checked.
 */
export function validateUserForm(
  email: string,
  name: string,
  stored?: { email: string; name: string },
): { ok: true; email: string; name: string } | { ok: false; errors: FieldErrors } {
  const emailResult = check(emailSchema, email, stored?.email);
  const nameResult = check(nameSchema, name, stored?.name);
  if (emailResult.ok && nameResult.ok) return { ok: true, email: emailResult.value, name: nameResult.value };
  const errors: FieldErrors = {};
  if (!emailResult.ok) errors.email = emailResult.message;
  if (!nameResult.ok) errors.name = nameResult.message;
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
