import type { MigrationPlan, MigrationState } from '../../../shared/contract';

/** "under a second", "~12 s", "~4 min", "~2 h": a rough time as rough as its estimate. */
export function roughTime(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `~${Math.ceil(seconds)} s`;
  if (seconds < 90 * 60) return `~${Math.round(seconds / 60)} min`;
  return `~${Math.round(seconds / 3600)} h`;
}

/** What a migration's plan adds up to, over the indexes that will be built (skipped ones cost nothing). */
export function planTotals(plan: MigrationPlan): {
  built: number;
  skipped: number;
  bytes: number;
  seconds: number;
  /** Which of the indexes built are built CONCURRENTLY (the tables keep serving meanwhile). */
  concurrently: 'all' | 'some' | 'none';
} {
  const built = plan.indexes.filter((index) => index.skipped === null);
  return {
    built: built.length,
    skipped: plan.indexes.length - built.length,
    bytes: built.reduce((sum, index) => sum + index.estimatedBytes, 0),
    seconds: built.reduce((sum, index) => sum + index.estimatedSeconds, 0),
    concurrently:
      built.length > 0 && built.every((index) => index.concurrently) ? 'all' : built.some((index) => index.concurrently) ? 'some' : 'none',
  };
}

/** Whether a plan is an applied migration's missing indexes (an answer without `kind` is a pending migration's). */
export function isMissingIndexes(plan: MigrationPlan): boolean {
  return plan.kind === 'missing-indexes';
}

/**
 * How many indexes of applied migrations are missing and can be built now: migrations.up builds
 * them although nothing is pending, so "up to date" would be wrong until it has.
 */
export function missingIndexCount(state: Pick<MigrationState, 'missingIndexes'> | null | undefined): number {
  return state?.missingIndexes?.length ?? 0;
}
