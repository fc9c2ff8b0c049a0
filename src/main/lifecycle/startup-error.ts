import { translateError } from '../api/translate-error';

/** A start-up failure as one line an admin can act on (the same translation the API uses). */
export function startupErrorMessage(error: unknown, logFile: string): string {
  return translateError(error, { logFile }).message;
}

/** Printed by the desktop app once its window is up (scripts/start.mjs waits for it). */
export const DESKTOP_READY_LINE = 'Simple DB is open in its desktop window.';
/** The desktop app's exit code when the backend, not the desktop runtime, failed to start. */
export const STARTUP_FAILED_EXIT_CODE = 3;
