import { translateError } from '../api/translate-error';

/** A start-up failure as one line an admin can act on (the same translation the API uses). */
export function startupErrorMessage(error: unknown, logFile: string): string {
  return translateError(error, { logFile }).message;
}
