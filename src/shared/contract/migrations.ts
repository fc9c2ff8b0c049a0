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

export const migrationPlanSchema = z.object({ name: z.string(), indexes: z.array(indexPlanSchema) });
export type MigrationPlan = z.infer<typeof migrationPlanSchema>;

export const migrationStateSchema = z.object({
  applied: z.array(z.string()),
  pending: z.array(z.string()),
  /** Applied migration → the backup taken just before it was applied (when one was). */
  backupsBefore: z.record(z.string(), z.string()).optional(),
  /** For pending migrations that build indexes: what, and roughly how long and how much disk. */
  plans: z.array(migrationPlanSchema).optional(),
});
export type MigrationState = z.infer<typeof migrationStateSchema>;

export const migrationsContract = {
  'migrations.status': { input: noInput, output: migrationStateSchema },
  /** Applies the pending migrations as a job (index builds report progress and can be cancelled); the job's `result` is the new state. */
  'migrations.up': { input: noInput, output: jobStartedSchema },
  /** Reverts the newest applied migration; `confirm` must be the database's name, typed by the admin. */
  'migrations.down': { input: z.object({ confirm: z.string().max(200) }).strict(), output: migrationStateSchema },
};
