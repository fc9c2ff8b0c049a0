import { AppError } from '../../errors/app-error';
import type { ConnectionColor, SshTunnel } from '../../../shared/contract/connections';
import type { ImportResult } from './index';
import { addDraft, draftFromSettings, expandHome, parsePort, truncateName, type DraftInput, type Settings } from './url';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field as text: strings trimmed, numbers written out, empty or anything else undefined. */
function text(object: Json, key: string): string | undefined {
  const value = object[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  return value.trim() || undefined;
}

const flag = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

/** Where `JSON.parse` stopped: its own position when it says one, else the first offset a strict reader refuses. */
function jsonErrorOffset(input: string, message: string): number | null {
  const stated = /at position (\d+)/.exec(message);
  if (stated) return Number(stated[1]);
  let i = 0;
  const fail = (): never => {
    throw new RangeError(String(i));
  };
  const ws = () => {
    while (i < input.length && ' \t\n\r'.includes(input[i]!)) i++;
  };
  const string = () => {
    i++;
    while (i < input.length) {
      const c = input[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        if (input[i + 1] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) fail();
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(input[i + 1] ?? 'x')) fail();
        i += 2;
        continue;
      }
      if (c < ' ') fail();
      i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = input[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (input[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === '{') {
          if (input[i] !== '"') fail();
          string();
          ws();
          if (input[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (input[i] === ',') i++;
        else if (input[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = i;
    if (!literal.test(input)) fail();
    i = literal.lastIndex;
  };
  try {
    value();
    ws();
    return i < input.length ? i : null;
  } catch (error) {
    return error instanceof RangeError && /^\d+$/.test(error.message) ? Number(error.message) : null;
  }
}

function parseJson(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch (error) {
    const message = (error as Error).message;
    // V8 quotes the text around the error; say what went wrong and where instead.
    const what = message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ in JSON$/, '');
    const offset = jsonErrorOffset(input, message);
    let where = '';
    if (offset !== null) {
      const before = input.slice(0, offset).split('\n');
      where = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1} (position ${offset})`;
    }
    throw new AppError(
      'VALIDATION',
      `This is not valid JSON: ${what}${where}. Export servers.json from pgAdmin with Tools > Import/Export Servers.`,
      {
        field: 'text',
      },
    );
  }
}

/** Hues of the colour tags, for the nearest match to pgAdmin's BGColor. */
const HUES: [ConnectionColor, number][] = [
  ['red', 0],
  ['orange', 30],
  ['yellow', 55],
  ['green', 120],
  ['blue', 215],
  ['purple', 280],
];

/** `#RRGGBB` (or `#RGB`) → the colour tag nearest by hue; greys are grey, anything unreadable none. */
export function nearestColor(css: string | undefined): ConnectionColor {
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css?.trim() ?? '')?.[1];
  if (!hex) return 'none';
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((start) => parseInt(full.slice(start, start + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (saturation < 0.15 || chroma < 0.08) return 'grey';
  let hue: number;
  if (max === r) hue = ((g - b) / chroma) % 6;
  else if (max === g) hue = (b - r) / chroma + 2;
  else hue = (r - g) / chroma + 4;
  hue = (hue * 60 + 360) % 360;
  const distance = (to: number) => Math.min(Math.abs(hue - to), 360 - Math.abs(hue - to));
  return HUES.reduce((best, candidate) => (distance(candidate[1]) < distance(best[1]) ? candidate : best))[0];
}

interface Server {
  name: string;
  group: string;
  candidate?: DraftInput;
  problem?: string;
}

function readServer(key: string, server: Json, env: NodeJS.ProcessEnv): Server {
  const name = text(server, 'Name') ?? `Server ${key}`;
  const group = text(server, 'Group') ?? 'Servers';
  const params = isObject(server.ConnectionParameters) ? server.ConnectionParameters : {};
  const host = text(server, 'Host') ?? text(server, 'HostAddr') ?? text(params, 'hostaddr');
  if (!host) {
    const service = text(server, 'Service') ?? text(params, 'service');
    return {
      name,
      group,
      problem: service
        ? `It connects through the service "${service}" of pg_service.conf rather than a host: import that service from the service file.`
        : 'It has no Host.',
    };
  }
  const port = text(server, 'Port');
  if (!port) return { name, group, problem: 'It has no Port.' };
  // Newer pgAdmin keeps libpq's SSL settings in ConnectionParameters, older exports at the top level.
  const settings: Settings = {
    host,
    port,
    dbname: text(server, 'MaintenanceDB') ?? 'postgres',
    ...(text(server, 'Username') ? { user: text(server, 'Username') } : {}),
  };
  const sslmode = text(params, 'sslmode') ?? text(server, 'SSLMode');
  const sslrootcert = text(params, 'sslrootcert') ?? text(server, 'SSLRootCert');
  const sslcert = text(params, 'sslcert') ?? text(server, 'SSLCert');
  const sslkey = text(params, 'sslkey') ?? text(server, 'SSLKey');
  if (sslmode) settings.sslmode = sslmode;
  if (sslrootcert) settings.sslrootcert = sslrootcert;
  if (sslcert) settings.sslcert = sslcert;
  if (sslkey) settings.sslkey = sslkey;
  const draft = draftFromSettings(settings, name, env);
  if ('problem' in draft) return { name, group, problem: draft.problem };

  let ssh: SshTunnel | undefined;
  if (flag(server.UseSSHTunnel)) {
    const tunnelHost = text(server, 'TunnelHost');
    const tunnelUser = text(server, 'TunnelUsername');
    if (!tunnelHost) return { name, group, problem: 'It uses an SSH tunnel but names no TunnelHost.' };
    if (!tunnelUser) return { name, group, problem: 'It uses an SSH tunnel but names no TunnelUsername.' };
    const tunnelPort = parsePort(text(server, 'TunnelPort') ?? '22');
    if (tunnelPort === null) return { name, group, problem: 'Its TunnelPort must be a number from 1 to 65535.' };
    const identity = text(server, 'TunnelIdentityFile');
    const byKey = Number(server.TunnelAuthentication) === 1;
    ssh = {
      host: tunnelHost,
      port: tunnelPort,
      user: tunnelUser,
      auth: byKey ? 'key' : 'password',
      ...(byKey && identity ? { privateKeyFile: expandHome(identity, env) } : {}),
    };
  }
  const color = nearestColor(text(server, 'BGColor'));
  return { name, group, candidate: { ...draft.candidate, ...(ssh ? { ssh } : {}), color } };
}

/**
 * pgAdmin 4's servers.json (Tools > Import/Export Servers). pgAdmin exports no passwords, so the
 * drafts carry none. A server Simple DB cannot connect to the same way is skipped with the reason.
 */
export function parsePgAdminServers(input: string, env: NodeJS.ProcessEnv = process.env): ImportResult {
  const data = parseJson(input.replace(/^\uFEFF/, ''));
  if (!isObject(data) || !isObject(data.Servers)) {
    throw new AppError(
      'VALIDATION',
      'This is not a pgAdmin servers.json: it has no "Servers" object. Export it from pgAdmin with Tools > Import/Export Servers.',
      { field: 'text' },
    );
  }
  const servers = Object.entries(data.Servers).map(([key, server]) =>
    isObject(server) ? readServer(key, server, env) : { name: `Server ${key}`, group: '', problem: 'It is not an object.' },
  );

  // The group is part of the name only where the names alone would collide.
  const count = new Map<string, number>();
  for (const server of servers) if (server.candidate) count.set(server.name, (count.get(server.name) ?? 0) + 1);
  const taken = new Set<string>();
  const result: ImportResult = { drafts: [], skipped: [] };
  for (const server of servers) {
    if (!server.candidate) {
      result.skipped.push({ name: server.name, reason: server.problem ?? 'It cannot be imported.' });
      continue;
    }
    const base = (count.get(server.name) ?? 0) > 1 ? truncateName(`${server.group} / ${server.name}`) : server.name;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    addDraft(result, { ...server.candidate, name });
  }
  return result;
}
