import { z } from 'zod';
import { noInput } from './common';

export const migrationStateSchema = z.object({
  applied: z.array(z.string()),
  pending: z.array(z.string()),
  /** Applied migration → the backup taken just before it was applied (when one was). */
  backupsBefore: z.record(z.string(), z.string()).optional(),
});
export type MigrationState = z.infer<typeof migrationStateSchema>;

export const migrationsContract = {
  'migrations.status': { input: noInput, output: migrationStateSchema },
  'migrations.up': { input: noInput, output: migrationStateSchema },
  /** Reverts the newest applied migration; `confirm` must be the database's name, typed by the admin. */
  'migrations.down': { input: z.object({ confirm: z.string().max(200) }).strict(), output: migrationStateSchema },
};
