import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PgpassSpec {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** libpq's password file: PGPASSFILE, else `~/.pgpass` (`%APPDATA%\postgresql\pgpass.conf` on Windows). */
export function pgpassFilePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(env.USERPROFILE || os.homedir(), 'AppData', 'Roaming');
    return path.win32.join(appData, 'postgresql', 'pgpass.conf');
  }
  return path.posix.join(env.HOME || os.homedir(), '.pgpass');
}

/**
 * Where one `hostname:port:database:username:` field matching `token` ends (the index after its
 * colon), or null. As libpq's pwdfMatchesString: a field that is exactly `*` matches anything, and a
 * backslash makes the next character literal.
 */
function matchField(line: string, start: number, token: string): number | null {
  if (line[start] === '*' && line[start + 1] === ':') return start + 2;
  let i = start;
  let j = 0;
  let escaped = false;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && !escaped) {
      escaped = true;
      i++;
      continue;
    }
    if (c === ':' && !escaped && j === token.length) return i + 1;
    escaped = false;
    if (c !== token[j]) return null;
    i++;
    j++;
  }
  return null;
}

/** The password field: up to the next unescaped colon, with `\:` and `\\` undone. */
function passwordField(line: string, start: number): string {
  let password = '';
  for (let i = start; i < line.length && line[i] !== ':'; i++) {
    if (line[i] === '\\' && i + 1 < line.length) i++;
    password += line[i];
  }
  return password;
}

/**
 * The password ~/.pgpass gives for this connection, by libpq's rules: the first matching line wins;
 * the file is ignored when it is not a plain file or (outside Windows) when its group or others may
 * read it. Hosts are compared literally. Null when there is no file, no match or an empty password;
 * never throws and never logs.
 */
export async function findPgpassPassword(
  spec: PgpassSpec,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  const file = pgpassFilePath(env, platform);
  let text: string;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return null;
    if (platform !== 'win32' && (stat.mode & 0o077) !== 0) return null;
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return null;
  }
  const tokens = [spec.host, String(spec.port), spec.database, spec.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    let at: number | null = 0;
    for (const token of tokens) {
      at = matchField(line, at, token);
      if (at === null) break;
    }
    if (at === null) continue;
    const password = passwordField(line, at);
    return password || null;
  }
  return null;
}
