import { z } from 'zod';
import { noInput } from './common';
import { jobStartedSchema } from './jobs';

/** One index a pending migration will build, with rough costs, so the admin knows before applying. */
export const indexPlanSchema = z.object({
  name: z.string(),
  table: z.string(),
  /** For people: "sorting users by name", "searching users' emails (trigram)". */
  purpose: z.string(),
  method: z.enum(['btree', 'gin']),
  /** Rough: from the table's row count and column widths. */
  estimatedBytes: z.number().int(),
  estimatedSeconds: z.number(),
  /** Built with CREATE INDEX CONCURRENTLY (on servers Simple DB does not run), so the table keeps serving. */
  concurrently: z.boolean(),
  /** Why it will not be built (e.g. the role may not create pg_trgm); null when it will. */
  skipped: z.string().nullable(),
});
export type IndexPlan = z.infer<typeof indexPlanSchema>;

export const migrationPlanSchema = z.object({
  name: z.string(),
  /**
   * pending: a migration not applied yet, and the indexes it will build. missing-indexes: an
   * applied migration's indexes that are not there (skipped when it ran, for want of pg_trgm,
   * which has been added since; or dropped by hand) and can be built now: migrations.up builds
   * them. Absent in older answers: pending.
   */
  kind: z.enum(['pending', 'missing-indexes']).optional(),
  indexes: z.array(indexPlanSchema),
});
export type MigrationPlan = z.infer<typeof migrationPlanSchema>;

export const migrationStateSchema = z.object({
  applied: z.array(z.string()),
  pending: z.array(z.string()),
  /** Applied migration → the backup taken just before it was applied (when one was). */
  backupsBefore: z.record(z.string(), z.string()).optional(),
  /** Applied migration → what rolling it back does, in words, when the migration says (see the rollback dialog). */
  rollbackEffects: z.record(z.string(), z.string()).optional(),
  /** For pending migrations that build indexes: what, and roughly how long and how much disk; also for applied ones with indexes to build (see `kind`). */
  plans: z.array(migrationPlanSchema).optional(),
  /**
   * Names of applied migrations' indexes that are missing (or INVALID) and can be built now:
   * work for migrations.up although nothing is pending. Absent when there are none.
   */
  missingIndexes: z.array(z.string()).optional(),
});
export type MigrationState = z.infer<typeof migrationStateSchema>;

export const migrationsContract = {
  'migrations.status': { input: noInput, output: migrationStateSchema },
  /**
   * Applies the pending migrations as a job, then builds the applied ones' missing indexes (index
   * builds report progress and can be cancelled); the job's `result` is the new state.
   */
  'migrations.up': { input: noInput, output: jobStartedSchema },
  /** Reverts the newest applied migration; `confirm` must be the database's name, typed by the admin. */
  'migrations.down': { input: z.object({ confirm: z.string().max(200) }).strict(), output: migrationStateSchema },
};
