import path from 'node:path';
import { z } from 'zod';
import { backupOptionsSchema, scheduleSchema } from '../../shared/contract/backups';
import { JsonFile } from './json-file';

/** What Simple DB remembers between runs (never a secret: passwords live elsewhere). */
const settingsSchema = z.object({
  backups: z
    .object({
      folder: z.string().optional(),
      /** The last options chosen behind "Options": the next backup starts from them. */
      options: backupOptionsSchema.partial().optional(),
      schedule: scheduleSchema.optional(),
      /** When the schedule last ran (or its missed run was dismissed): what "missed" is measured from. */
      scheduleLastRunAt: z.string().optional(),
      /** The latest scheduled runs, newest first (a failed run leaves no backup, so it is kept here). */
      scheduleRuns: z.array(z.object({ at: z.string(), state: z.enum(['succeeded', 'failed']), message: z.string() })).default([]),
    })
    .default({ scheduleRuns: [] }),
  /** Client tools the admin chose by path, each proven by its --version before it was saved. */
  tools: z.object({ pg_dump: z.string().optional(), pg_restore: z.string().optional(), psql: z.string().optional() }).default({}),
});
export type Settings = z.infer<typeof settingsSchema>;

/** settings.json in the data directory (see JsonFile for how it is read and written). */
export class SettingsStore {
  private readonly json: JsonFile<typeof settingsSchema>;

  constructor(
    readonly file: string,
    log: (message: string) => void = () => {},
  ) {
    this.json = new JsonFile(file, settingsSchema, {}, log);
  }

  static inDataDir(dataDir: string, log?: (message: string) => void): SettingsStore {
    return new SettingsStore(path.join(dataDir, 'settings.json'), log);
  }

  read(): Promise<Settings> {
    return this.json.read();
  }

  /** Applies `change` to the current settings and saves them; changes are written one after another. */
  update(change: (settings: Settings) => void): Promise<Settings> {
    return this.json.update(change);
  }
}
