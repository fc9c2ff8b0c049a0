import type { ApiError } from '../../shared/errors';
import { describeTarget, parseDatabaseUrl } from '../db/target';
import type { ErrorContext } from '../errors/context';
import { translateError } from '../errors/translate';

/** What start-up errors may say about the database it was opening: DATABASE_URL's, or the embedded one. */
function startupContext(logFile: string, databaseUrl: string | undefined): ErrorContext {
  if (!databaseUrl) return { logFile };
  try {
    const target = parseDatabaseUrl(databaseUrl);
    return { logFile, connection: { kind: 'url', where: describeTarget(target), user: target.user } };
  } catch {
    return { logFile };
  }
}

/** A start-up failure as the contract's error (the same translation the API uses). */
export function translateStartupError(error: unknown, logFile: string, databaseUrl?: string): ApiError {
  return translateError(error, startupContext(logFile, databaseUrl));
}

/** A start-up failure as one line an admin can act on. */
export function startupErrorMessage(error: unknown, logFile: string, databaseUrl?: string): string {
  return translateStartupError(error, logFile, databaseUrl).message;
}

/** Printed by the desktop app once its window is up (scripts/start.mjs waits for it). */
export const DESKTOP_READY_LINE = 'Simple DB is open in its desktop window.';
/** The desktop app's exit code when the backend, not the desktop runtime, failed to start. */
export const STARTUP_FAILED_EXIT_CODE = 3;
