import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { profileDraftSchema, secretsInputSchema, SSL_MODES, type SecretsInput, type SslMode } from '../../../shared/contract/connections';
import type { ImportResult } from './index';

/** What a parser hands to the schema: the profile before defaults are filled in. */
export type DraftInput = z.input<typeof profileDraftSchema>;

/** The libpq connection keywords Simple DB imports; every other one (application_name, options…) is ignored. */
export const KEYWORDS = ['host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;
export type Keyword = (typeof KEYWORDS)[number];
export type Settings = Partial<Record<Keyword, string>>;

const KNOWN = new Set<string>(KEYWORDS);
const isKeyword = (key: string): key is Keyword => KNOWN.has(key);

const MAX_NAME = 80;
const ONE_HOST = 'Simple DB connects to one host per profile; several hosts separated by commas are not supported: keep one of them.';

function invalid(message: string): AppError {
  return new AppError('VALIDATION', message, { field: 'text' });
}

/** The home directory libpq would use: HOME (USERPROFILE on Windows), else the account's. */
export function homeDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
}

/** `~/certs/ca.pem` → `/home/me/certs/ca.pem`; `~other/…` and everything else unchanged. */
export function expandHome(file: string, env: NodeJS.ProcessEnv = process.env): string {
  if (file === '~') return homeDirectory(env);
  if (file.startsWith('~/') || file.startsWith('~\\')) return path.join(homeDirectory(env), file.slice(2));
  return file;
}

/** The user libpq connects as when none is given: the operating system's user. */
export function defaultUser(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.USER || env.LOGNAME || env.USERNAME;
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username || 'postgres';
  } catch {
    return 'postgres';
  }
}

/** A port as libpq writes it: digits only, 1 to 65535. */
export function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value.trim())) return null;
  const port = Number(value.trim());
  return port >= 1 && port <= 65_535 ? port : null;
}

export function defaultName(database: string, host: string): string {
  return truncateName(`${database} on ${host}`);
}

export function truncateName(name: string): string {
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`;
}

function zodReason(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const prefix = issue.path[0] === 'ssh' ? 'SSH tunnel: ' : issue.path[0] === 'ssl' ? 'SSL: ' : '';
      return `${prefix}${issue.message}`;
    })
    .join(' ');
}

/**
 * Adds a draft when it passes the profile schema (which fills in the defaults), or records why it
 * was skipped, in zod's words. Never throws.
 */
export function addDraft(result: ImportResult, candidate: DraftInput, secrets: SecretsInput = {}): void {
  const profile = profileDraftSchema.safeParse(candidate);
  if (!profile.success) {
    result.skipped.push({ name: candidate.name || '(unnamed)', reason: zodReason(profile.error) });
    return;
  }
  const parsedSecrets = secretsInputSchema.safeParse(secrets);
  if (!parsedSecrets.success) {
    result.skipped.push({ name: profile.data.name, reason: `The password: ${zodReason(parsedSecrets.error)}` });
    return;
  }
  result.drafts.push({ profile: profile.data, secrets: parsedSecrets.data });
}

/**
 * Turns libpq settings into a draft, with libpq's defaults: host localhost, port 5432, the OS user,
 * a database named like the user. Returns the problem instead when one setting cannot be used; the
 * problem never repeats the password (nor the port, which a mis-split URL can fill with part of it).
 */
export function draftFromSettings(
  settings: Settings,
  name: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { candidate: DraftInput; secrets: SecretsInput } | { problem: string } {
  const host = settings.host || settings.hostaddr || 'localhost';
  if (host.includes(',') || settings.port?.includes(',')) return { problem: ONE_HOST };
  let port = 5432;
  if (settings.port) {
    const parsed = parsePort(settings.port);
    if (parsed === null) return { problem: 'The port must be a number from 1 to 65535.' };
    port = parsed;
  }
  const user = settings.user || defaultUser(env);
  const database = settings.dbname || user;
  let mode = settings.sslmode || undefined;
  if (mode !== undefined && !(SSL_MODES as readonly string[]).includes(mode)) {
    return { problem: `sslmode "${mode.slice(0, 40)}" is not one of libpq's modes: ${SSL_MODES.join(', ')}.` };
  }
  // libpq 16: sslrootcert=system trusts the system's CAs and then defaults to verify-full.
  if (mode === undefined && settings.sslrootcert === 'system') mode = 'verify-full';
  const ssl = {
    mode: (mode ?? 'prefer') as SslMode,
    ...(settings.sslrootcert ? { rootCert: expandHome(settings.sslrootcert, env) } : {}),
    ...(settings.sslcert ? { cert: expandHome(settings.sslcert, env) } : {}),
    ...(settings.sslkey ? { key: expandHome(settings.sslkey, env) } : {}),
  };
  return {
    candidate: { name: name ?? defaultName(database, host), host, port, database, user, ssl },
    secrets: settings.password ? { password: settings.password } : {},
  };
}

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const KEYWORD_START = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * One profile from a `postgresql://` URL (also `postgres://`, SQLAlchemy's `postgresql+psycopg://`
 * and JDBC's `jdbc:postgresql://`) or a libpq `key=value` connection string. Throws VALIDATION
 * (field `text`) for input it cannot read; no message repeats the password.
 */
export function importFromUrl(text: string, env: NodeJS.ProcessEnv = process.env): ImportResult {
  let input = text.replace(/^\uFEFF/, '').trim();
  if (!input) throw invalid('Paste a postgresql:// URL or a key=value connection string (host=db port=5432 dbname=app user=me).');
  if (/^jdbc:/i.test(input)) input = input.slice('jdbc:'.length);
  let settings: Settings;
  if (URL_SCHEME.test(input)) settings = parseUri(input);
  else if (KEYWORD_START.test(input)) settings = parseKeywordString(input);
  else {
    throw invalid(
      'Expected a postgresql:// URL (postgresql://user:password@host:5432/database) or a key=value connection string (host=db port=5432 dbname=app user=me).',
    );
  }
  const draft = draftFromSettings(settings, undefined, env);
  if ('problem' in draft) throw invalid(draft.problem);
  const result: ImportResult = { drafts: [], skipped: [] };
  addDraft(result, draft.candidate, draft.secrets);
  return result;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`The URL's ${what} has a % that does not start an escape: write a literal % as %25.`);
  }
}

/** libpq's URI form: scheme://[user[:password]@][host][:port][/dbname][?key=value&…]. */
function parseUri(input: string): Settings {
  const match = URL_SCHEME.exec(input)!;
  const scheme = match[1]!.toLowerCase();
  const base = scheme.split('+')[0]!;
  if (base !== 'postgresql' && base !== 'postgres') {
    throw invalid(`The URL uses ${scheme}://; Simple DB manages PostgreSQL only, so it must start with postgresql:// (or postgres://).`);
  }
  const rest = input.slice(match[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);
  const [beforeQuery = '', ...queryParts] = tail.split('?');
  const query = queryParts.join('?').split('#')[0]!;
  // An @ after a / ? or # means a password holding one of them was not percent-encoded: reading on
  // would take part of the password for a host or a database name.
  if (beforeQuery.includes('@') || (!authority.includes('@') && /^[?#][^=&]*@/.test(tail))) {
    throw invalid('Characters like / ? # @ in the user name or password must be percent-encoded (/ as %2F, ? as %3F, # as %23, @ as %40).');
  }

  const settings: Settings = {};
  const at = authority.lastIndexOf('@');
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    const colon = userInfo.indexOf(':');
    settings.user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), 'user name');
    if (colon >= 0) settings.password = decode(userInfo.slice(colon + 1), 'password');
  }
  if (hostPort.includes(',')) throw invalid(`The URL lists several hosts. ${ONE_HOST}`);
  let host: string;
  let port: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw invalid('The IPv6 address has no closing ]: write it as postgresql://user@[::1]:5432/database.');
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after && !after.startsWith(':')) throw invalid('Only :port may follow the ] of an IPv6 address.');
    port = after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    port = colon < 0 ? '' : hostPort.slice(colon + 1);
    if (port.includes(':')) throw invalid('An IPv6 address goes in brackets: postgresql://user@[::1]:5432/database.');
  }
  if (host) settings.host = decode(host, 'host');
  if (port) {
    if (parsePort(port) === null) throw invalid('The port must be a number from 1 to 65535.');
    settings.port = port;
  }
  const database = beforeQuery.split('#')[0]!.replace(/^\//, '');
  if (database) settings.dbname = decode(database, 'database name');

  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq < 0) {
      const key = decode(pair, 'query');
      throw invalid(`The query parameter ${isKeyword(key) ? `${key} ` : ''}has no value: write ?key=value&key=value.`);
    }
    const key = decode(pair.slice(0, eq), 'query');
    const value = decode(pair.slice(eq + 1), key === 'password' ? 'password' : `${isKeyword(key) ? key : 'query'} parameter`);
    if (isKeyword(key)) settings[key] = value;
    // node-postgres and JDBC spell "require TLS" as ssl=true; an explicit sslmode wins.
    else if (key === 'ssl' && !query.includes('sslmode=')) {
      if (['true', '1', 'on'].includes(value.toLowerCase())) settings.sslmode = 'require';
      if (['false', '0', 'off'].includes(value.toLowerCase())) settings.sslmode = 'disable';
    }
  }
  return settings;
}

/**
 * libpq's key=value form: whitespace between pairs (and around =), values in single quotes when they
 * hold spaces, backslash escaping the next character in or out of quotes. Unknown keys are ignored.
 */
function parseKeywordString(input: string): Settings {
  const settings: Settings = {};
  const space = (c: string | undefined) => c !== undefined && /\s/.test(c);
  let i = 0;
  let previous: string | null = null;
  while (i < input.length) {
    while (space(input[i])) i++;
    if (i >= input.length) break;
    const keyStart = i;
    while (i < input.length && input[i] !== '=' && !space(input[i])) i++;
    const key = input.slice(keyStart, i);
    while (space(input[i])) i++;
    if (input[i] !== '=') {
      const where = previous && isKeyword(previous) ? `after the value of ${previous}` : `at character ${keyStart + 1}`;
      throw invalid(`Expected key=value ${where}: a value holding spaces goes in single quotes, as in password='a b'.`);
    }
    i++;
    while (space(input[i])) i++;
    let value = '';
    if (input[i] === "'") {
      i++;
      for (;;) {
        if (i >= input.length) throw invalid(`The value of ${isKeyword(key) ? key : 'a setting'} opens a quote (') that is never closed.`);
        const c = input[i]!;
        if (c === '\\') {
          i++;
          if (i < input.length) value += input[i++];
          continue;
        }
        i++;
        if (c === "'") break;
        value += c;
      }
    } else {
      while (i < input.length && !space(input[i])) {
        if (input[i] === '\\') i++;
        if (i < input.length) value += input[i++];
      }
    }
    if (isKeyword(key)) settings[key] = value;
    previous = key;
  }
  return settings;
}
