import { ApiCallError } from '../../shared/client';
import type { ApiError } from '../../shared/errors';

/**
 * Screens decide what to show from the contract's error code, so anything that is not already an
 * ApiCallError (a bug in the renderer, a transport surprise) is treated as INTERNAL.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error in the window: ${message}` };
}
