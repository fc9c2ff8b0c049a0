import type { z } from 'zod';
import type { ApiError } from '../../shared/errors';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A zod failure as the contract's VALIDATION error: which field, what is wrong (the first issue). */
export function validationError(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return { code: 'VALIDATION', message: 'The request is not valid.' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { code: 'VALIDATION', message: `Unknown field "${key}".`, field: key };
  }
  const field = issue.path.map(String).join('.');
  // zod does not echo the input back, so tell "missing" from "wrong type" ourselves.
  if (issue.code === 'invalid_type' && field && valueAt(input, issue.path) === undefined) {
    return { code: 'VALIDATION', message: `${capitalise(field)} is required.`, field };
  }
  return { code: 'VALIDATION', message: issue.message, ...(field ? { field } : {}) };
}
