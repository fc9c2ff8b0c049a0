import type { JobProgress, MigrationState } from '../../shared/contract';
import type { Connection } from '../connections/connection';
import { planIndexes } from '../db/index-plan';
import { createMigrator, migrationList, readMigrationState, type IndexOutcome } from '../db/migrations';

export interface AppliedMigrations {
  applied: string[];
  /** The applied migrations' own indexes, then the missing ones built afterwards (`missing`). */
  indexes: IndexOutcome[];
  /** A sentence or two: "Applied 1 migration; built 7 indexes.", "Built 2 missing indexes." */
  summary: string;
}

/**
 * CONCURRENTLY on every server but the embedded one Simple DB runs itself: nobody else uses that
 * one, and a build inside the migration's transaction is all-or-nothing and faster.
 */
export function buildsConcurrently(connection: Connection): boolean {
  return connection.embedded === null;
}

function counted(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "built 7 indexes; skipped 3 indexes (pg_trgm is not installed …)", or null when no index was declared. */
export function indexSummary(indexes: readonly IndexOutcome[]): string | null {
  const parts: string[] = [];
  const built = indexes.filter((index) => index.outcome === 'built').length;
  const kept = indexes.filter((index) => index.outcome === 'kept').length;
  if (built > 0) parts.push(`built ${counted(built, 'index', 'indexes')}`);
  if (kept > 0) parts.push(`kept ${counted(kept, 'index', 'indexes')} already built`);
  const reasons = new Map<string, number>();
  for (const index of indexes) {
    if (index.outcome !== 'skipped') continue;
    const reason = index.reason ?? 'no reason given';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) parts.push(`skipped ${counted(n, 'index', 'indexes')} (${reason})`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** "Built 2 missing indexes; 1 missing index was built meanwhile": what became of the applied migrations' missing indexes; null when none was missing. */
export function missingSummary(indexes: readonly IndexOutcome[]): string | null {
  const missing = indexes.filter((index) => index.missing);
  const parts: string[] = [];
  const built = missing.filter((index) => index.outcome === 'built').length;
  const kept = missing.filter((index) => index.outcome === 'kept').length;
  if (built > 0) parts.push(`built ${counted(built, 'missing index', 'missing indexes')}`);
  // Another migrator built them between the look and the lock.
  if (kept > 0) parts.push(`${counted(kept, 'missing index was', 'missing indexes were')} built meanwhile`);
  for (const index of missing) if (index.outcome === 'skipped') parts.push(`skipped ${index.index.name} (${index.reason ?? 'no reason given'})`);
  if (parts.length === 0) return null;
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function appliedSummary(applied: readonly string[], indexes: readonly IndexOutcome[]): string {
  const sentences: string[] = [];
  if (applied.length > 0) {
    const built = indexSummary(indexes.filter((index) => !index.missing));
    sentences.push(`Applied ${counted(applied.length, 'migration', 'migrations')}${built ? `; ${built}` : ''}.`);
  }
  const missing = missingSummary(indexes);
  if (missing) sentences.push(`${missing}.`);
  return sentences.length > 0 ? sentences.join(' ') : 'Nothing to apply: the schema is up to date.';
}

/**
 * The words of the AbortError behind `error` (umzug wraps what a migration throws) when it says
 * what the cancel left ("Cancelled while waiting for …", see abortError's callers); null for a
 * plain "Cancelled", which the dialog's own words cover.
 */
function cancelMessage(error: unknown): string | null {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const { name, message } = cause as { name?: string; message?: string };
    if (name === 'AbortError' && message?.startsWith('Cancelled while')) return message;
  }
  return null;
}

/**
 * Applies every pending migration on `connection`, building declared indexes CONCURRENTLY where
 * the server is not ours, then builds the applied migrations' missing indexes (by the same rule);
 * `signal` cancels (what was not finished is not recorded), `progress` hears each step and each
 * index build. A cancel that has more to say (while waiting for another migrator, say) says it in
 * a last progress report, which the cancelled job keeps.
 */
export async function applyMigrations(
  connection: Connection,
  control: { signal: AbortSignal; progress: (progress: JobProgress) => void },
): Promise<AppliedMigrations> {
  const indexes: IndexOutcome[] = [];
  const migrator = createMigrator(connection.db.sequelize, {
    concurrently: buildsConcurrently(connection),
    target: connection.target,
    signal: control.signal,
    progress: control.progress,
    onIndex: (outcome) => indexes.push(outcome),
  });
  try {
    const applied = (await migrator.up()).map((migration) => migration.name);
    await migrator.buildMissingIndexes();
    return { applied, indexes, summary: appliedSummary(applied, indexes) };
  } catch (error) {
    const message = control.signal.aborted ? cancelMessage(error) : null;
    if (message) control.progress({ phase: 'Cancelled', done: 0, total: null, unit: 'steps', message });
    throw error;
  }
}

/**
 * Applied and pending migrations, and what building indexes will cost: for pending migrations
 * that declare some, and for applied ones with indexes missing (kind 'missing-indexes'). Only reads.
 */
export async function migrationStateWithPlans(connection: Connection): Promise<MigrationState> {
  const { sequelize } = connection.db;
  const { state, missing } = await readMigrationState(createMigrator(sequelize), sequelize);
  const concurrently = buildsConcurrently(connection);
  const pending = migrationList.filter((migration) => state.pending.includes(migration.name));
  const plans = await planIndexes(
    sequelize,
    pending.map(({ name, module }) => ({ name, indexes: module.indexes ?? [] })),
    { concurrently, kind: 'pending' },
  );
  const owners = [...new Set(missing.map((index) => index.migration))];
  const repairs = await planIndexes(
    sequelize,
    owners.map((name) => ({ name, indexes: missing.filter((index) => index.migration === name).map((index) => index.index) })),
    { concurrently, kind: 'missing-indexes' },
  );
  const all = [...plans, ...repairs];
  return all.length > 0 ? { ...state, plans: all } : state;
}
