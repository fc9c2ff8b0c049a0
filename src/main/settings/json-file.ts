import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/**
 * One JSON file of Simple DB's own (settings, connection profiles, encrypted secrets), read once
 * and written whole on every change: to a temporary file renamed over the old one, so a crash never
 * leaves half a file, mode 0600 in a 0700 folder. A damaged file is set aside as `.damaged` rather
 * than lost, and the defaults apply.
 */
export class JsonFile<S extends z.ZodType> {
  private cache: z.infer<S> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly empty: z.input<S>,
    private readonly log: (message: string) => void = () => {},
  ) {}

  async read(): Promise<z.infer<S>> {
    if (this.cache) return this.cache;
    let raw: unknown = this.empty;
    try {
      raw = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`${path.basename(this.file)} unreadable (${(error as Error).message}); using defaults and keeping it as .damaged`);
        await fs.rename(this.file, `${this.file}.damaged`).catch(() => undefined);
      }
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      // Never overwrite what we cannot read (a hand edit, a newer Simple DB): keep it beside.
      this.log(`${path.basename(this.file)} does not match what Simple DB expects; using defaults and keeping it as .damaged`);
      await fs.rename(this.file, `${this.file}.damaged`).catch(() => undefined);
    }
    this.cache = parsed.success ? parsed.data : this.schema.parse(this.empty);
    return this.cache;
  }

  /** Applies `change` to the current contents and saves them; changes are written one after another. */
  async update(change: (contents: z.infer<S>) => void): Promise<z.infer<S>> {
    // Each change starts from the contents the previous one left: two at once never lose one.
    const next = this.writing.then(async () => {
      const contents = structuredClone(await this.read());
      change(contents);
      const parsed = this.schema.parse(contents);
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
      await fs.rename(temporary, this.file);
      this.cache = parsed;
      return parsed;
    });
    this.writing = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}
