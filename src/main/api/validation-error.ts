import type { z } from 'zod';
import type { ApiError } from '../../shared/errors';

type Issue = z.core.$ZodIssue;

/** The most useful single issue: for a union, the branch the caller evidently meant. */
function pickIssue(issues: readonly Issue[]): Issue | undefined {
  const first = issues[0];
  if (first?.code === 'invalid_union' && first.errors.length) {
    const branches = first.errors.filter((branch) => !branch.some((issue) => issue.code === 'unrecognized_keys'));
    return pickIssue(branches[0] ?? first.errors[0] ?? []) ?? first;
  }
  return first;
}

/** A zod failure as the contract's VALIDATION error: which field, what is wrong. */
export function validationError(error: z.ZodError, fallbackMessage = 'The request is not valid.'): ApiError {
  const issue = pickIssue(error.issues);
  if (!issue) return { code: 'VALIDATION', message: fallbackMessage };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { code: 'VALIDATION', message: `Unknown field "${key}".`, field: key };
  }
  if (issue.code === 'invalid_union') {
    return { code: 'VALIDATION', message: 'Give either an id or an email.' };
  }
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined && field) {
    return { code: 'VALIDATION', message: `${capitalise(field)} is required.`, field };
  }
  return { code: 'VALIDATION', message: issue.message, ...(field ? { field } : {}) };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
