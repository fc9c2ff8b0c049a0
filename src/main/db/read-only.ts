import { AppError } from '../errors/app-error';
import type { ConnectionTarget } from './target';

/** What a read-only connection refuses, and the words that say what still works there and what to do. */
const REFUSALS = {
  import: 'exports work, imports do not. Import through a connection without the read-only flag.',
  restore: 'backups work, restores do not. Restore through a connection without the read-only flag.',
} as const;

/**
 * A read-only connection's server would refuse the writing only part of the way in (an import after
 * the whole file was read, a restore half-way): refused before anything starts, saying what to do.
 */
export function refuseReadOnly(target: Pick<ConnectionTarget, 'readOnly' | 'profileName' | 'database'>, action: keyof typeof REFUSALS): void {
  if (!target.readOnly) return;
  throw new AppError('PERMISSION', `“${target.profileName ?? target.database}” is a read-only connection: ${REFUSALS[action]}`);
}
