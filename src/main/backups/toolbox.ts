import type { SettingsStore } from '../settings/store';
import { discoverTools, pickTool, readToolVersion, TOOL_NAMES, type InstalledTool, type ToolName } from './tools';

/**
 * The client tools this machine has, plus the admin's own choices from the settings: discovered
 * once per run (a second look costs a --version per copy), chosen per server version on each use.
 */
export class Toolbox {
  private discovered: Promise<InstalledTool[]> | null = null;
  /** The admin's paths, proven once per run (each proof is a --version run), by name and path. */
  private readonly proven = new Map<string, Promise<InstalledTool | null>>();

  constructor(private readonly settings: SettingsStore) {}

  /** Every copy found, the admin's chosen paths first (proven again once per run: a file may have changed since it was saved). */
  async installed(): Promise<InstalledTool[]> {
    this.discovered ??= discoverTools().catch((error: unknown) => {
      this.discovered = null;
      throw error;
    });
    const { tools } = await this.settings.read();
    const chosen: InstalledTool[] = [];
    for (const name of TOOL_NAMES) {
      const file = tools[name];
      if (!file) continue;
      const key = `${name}\0${file}`;
      if (!this.proven.has(key))
        this.proven.set(
          key,
          readToolVersion(name, file, 'setting').catch(() => null),
        );
      const tool = await this.proven.get(key)!;
      if (tool) chosen.push(tool);
    }
    return [...chosen, ...(await this.discovered)];
  }

  /**
   * The `name` for a server (or a file) of `major`: TOOL_MISSING / TOOL_VERSION when none fits.
   * Before saying so, look again: the admin may just have installed what the last message asked for.
   */
  async pick(name: ToolName, major: number): Promise<InstalledTool> {
    try {
      return pickTool(await this.installed(), name, major);
    } catch {
      this.rescan();
      return pickTool(await this.installed(), name, major);
    }
  }

  /** The newest `name` installed (reading a file whose version is not known yet). */
  async newest(name: ToolName): Promise<InstalledTool> {
    const named = (await this.installed()).filter((tool) => tool.name === name);
    const best = named.reduce<InstalledTool | undefined>(
      (found, tool) => (found === undefined || tool.major > found.major ? tool : found),
      undefined,
    );
    return best ?? this.pick(name, 10);
  }

  /** Looks for installed tools again on the next use (the Client tools panel asks this). */
  rescan(): void {
    this.discovered = null;
    this.proven.clear();
  }

  /** Remembers the admin's path for `name` once it proves to be that tool (VALIDATION otherwise); null forgets it. */
  async setPath(name: ToolName, file: string | null): Promise<void> {
    const proven = file === null ? null : await readToolVersion(name, file.trim(), 'setting');
    if (proven) this.proven.set(`${name}\0${proven.path}`, Promise.resolve(proven));
    await this.settings.update((settings) => {
      if (proven) settings.tools[name] = proven.path;
      else delete settings.tools[name];
    });
  }

  async paths(): Promise<Record<ToolName, string | null>> {
    const { tools } = await this.settings.read();
    return { pg_dump: tools.pg_dump ?? null, pg_restore: tools.pg_restore ?? null, psql: tools.psql ?? null };
  }
}
