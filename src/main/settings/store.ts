import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { backupOptionsSchema, scheduleSchema } from '../../shared/contract/backups';

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

/**
 * settings.json in the data directory, read once and written whole on every change (to a
 * temporary file renamed over the old one, so a crash never leaves half a file). A damaged file
 * is set aside rather than lost, and the defaults apply.
 */
export class SettingsStore {
  private cache: Settings | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  static inDataDir(dataDir: string, log?: (message: string) => void): SettingsStore {
    return new SettingsStore(path.join(dataDir, 'settings.json'), log);
  }

  async read(): Promise<Settings> {
    if (this.cache) return this.cache;
    let raw: unknown = {};
    try {
      raw = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`settings file ${this.file} unreadable (${(error as Error).message}); using defaults and keeping it as .damaged`);
        await fs.rename(this.file, `${this.file}.damaged`).catch(() => undefined);
      }
    }
    const parsed = settingsSchema.safeParse(raw);
    this.cache = parsed.success ? parsed.data : settingsSchema.parse({});
    return this.cache;
  }

  /** Applies `change` to the current settings and saves them; changes are written one after another. */
  async update(change: (settings: Settings) => void): Promise<Settings> {
    const settings = structuredClone(await this.read());
    change(settings);
    this.cache = settingsSchema.parse(settings);
    const text = `${JSON.stringify(this.cache, null, 2)}\n`;
    const write = this.writing.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, text, { mode: 0o600 });
      await fs.rename(temporary, this.file);
    });
    this.writing = write.catch(() => undefined);
    await write;
    return this.cache;
  }
}
