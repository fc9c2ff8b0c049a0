import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors/app-error';
import type { ImportResult } from './index';
import { addDraft, draftFromSettings, homeDirectory, KEYWORDS, type Keyword, type Settings } from './url';

const KNOWN = new Set<string>(KEYWORDS);

/**
 * libpq's per-user service file: PGSERVICEFILE, else `~/.pg_service.conf`
 * (`%APPDATA%\postgresql\.pg_service.conf` on Windows).
 */
export function pgServiceFilePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PGSERVICEFILE) return env.PGSERVICEFILE;
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homeDirectory(env, platform), 'AppData', 'Roaming');
    return path.win32.join(appData, 'postgresql', '.pg_service.conf');
  }
  return path.posix.join(homeDirectory(env, platform), '.pg_service.conf');
}

/** Reads and parses the service file libpq would read. A file that cannot be read is a VALIDATION error saying where it looked. */
export async function readPgServiceFile(env: NodeJS.ProcessEnv = process.env): Promise<ImportResult> {
  const file = pgServiceFilePath(env);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const elsewhere = 'Set PGSERVICEFILE to the file to read (and restart Simple DB), or paste its contents instead.';
    const message =
      code === 'ENOENT'
        ? env.PGSERVICEFILE
          ? `PGSERVICEFILE names ${file}, which does not exist. ${elsewhere}`
          : `There is no service file at ${file}, where libpq looks when PGSERVICEFILE is not set. ${elsewhere}`
        : code === 'EISDIR'
          ? `${file} is a folder, not a service file. ${elsewhere}`
          : code === 'EACCES' || code === 'EPERM'
            ? `Simple DB may not read ${file} (permission denied).`
            : `Could not read ${file}: ${(error as Error).message}`;
    throw new AppError('VALIDATION', message, { field: 'text', cause: error });
  }
  return parsePgServiceFile(text, env);
}

interface Service {
  name: string;
  line: number;
  settings: Settings;
  problem?: string;
}

/**
 * libpq's connection service file: `[service]` headers, `key=value` lines, `#` comments and blank
 * lines. Each service becomes a draft named after it; a service with a line that is not key=value
 * (or a setting Simple DB cannot use) is skipped with the reason, naming the line.
 */
export function parsePgServiceFile(text: string, env: NodeJS.ProcessEnv = process.env): ImportResult {
  const result: ImportResult = { drafts: [], skipped: [] };
  const services: Service[] = [];
  let current: Service | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const number = index + 1;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      const header = /^\[([^\]]*)\]$/.exec(line);
      const name = (header ? header[1]! : line.slice(1).replace(/\].*$/, '')).trim();
      current = { name: name || `(line ${number})`, line: number, settings: {} };
      if (!header) current.problem = `Line ${number}: a [service] header is the name in brackets and nothing else.`;
      else if (!name) current.problem = `Line ${number}: the [] header names no service.`;
      services.push(current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      // The line is not repeated: it may be a password written without its key.
      const problem = `Line ${number} is not key=value${eq === 0 ? ' (nothing before the =)' : ''}.`;
      if (current) current.problem ??= problem;
      else result.skipped.push({ name: '(before the first [service])', reason: `${problem} Settings go below a [service] header.` });
      return;
    }
    // libpq ignores settings above the first [service] header.
    if (!current) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    // libpq keeps the first value a service gives a key.
    if (KNOWN.has(key) && current.settings[key as Keyword] === undefined) current.settings[key as Keyword] = value;
  });

  const seen = new Map<string, number>();
  for (const service of services) {
    const earlier = seen.get(service.name);
    if (earlier !== undefined) {
      result.skipped.push({
        name: service.name,
        reason: `Line ${service.line}: the service ${service.name} is already defined on line ${earlier}, and libpq uses the first one.`,
      });
      continue;
    }
    seen.set(service.name, service.line);
    if (service.problem) {
      result.skipped.push({ name: service.name, reason: service.problem });
      continue;
    }
    const draft = draftFromSettings(service.settings, service.name, env);
    if ('problem' in draft) result.skipped.push({ name: service.name, reason: draft.problem });
    else addDraft(result, draft.candidate, draft.secrets);
  }
  return result;
}
