import type { Preflight } from '../../../shared/contract';

export type RestoreMode = 'replace' | 'new';

/** What the admin has chosen in the restore dialog. */
export interface RestoreChoices {
  mode: RestoreMode;
  /** For mode 'new'. */
  newDatabase: string;
  noOwner: boolean;
  noPrivileges: boolean;
  terminateSessions: boolean;
  /** For mode 'replace': a backup of what is there now, taken first. */
  safetyBackup: boolean;
}

export const INITIAL_CHOICES: RestoreChoices = {
  mode: 'replace',
  newDatabase: '',
  noOwner: false,
  noPrivileges: false,
  terminateSessions: false,
  safetyBackup: true,
};

type Problem = Preflight['problems'][number];

/** Whether the option that solves a problem is chosen (ownership needs both flags: that is what the fix says). */
export function isFixed(problem: Problem, choices: RestoreChoices): boolean {
  if (problem.fix === 'noOwner' || problem.fix === 'noPrivileges') return choices.noOwner && choices.noPrivileges;
  if (problem.fix === 'terminateSessions') return choices.terminateSessions;
  return false;
}

/** Blocking problems the chosen options do not solve: while there is one, Restore stays unavailable. */
export function outstandingBlockers(preflight: Preflight, choices: RestoreChoices): Problem[] {
  return preflight.problems.filter((problem) => problem.blocking && !isFixed(problem, choices));
}

/** The new database's name as typed, or what is wrong with it (the contract's own limits). */
export function newDatabaseError(name: string): string | null {
  if (name.trim() === '') return 'Type a name for the new database.';
  if (name.length > 63) return 'PostgreSQL database names are at most 63 characters.';
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001F\u007F]/.test(name)) return 'A database name cannot contain control characters.';
  return null;
}

/** The preflight input for these choices, or null while they cannot be checked (no new name yet). */
export function preflightRequest(name: string, choices: RestoreChoices) {
  if (choices.mode === 'new' && newDatabaseError(choices.newDatabase)) return null;
  return {
    name,
    target: choices.mode === 'new' ? { mode: 'new' as const, database: choices.newDatabase } : { mode: 'replace' as const },
    noOwner: choices.noOwner,
    noPrivileges: choices.noPrivileges,
  };
}
