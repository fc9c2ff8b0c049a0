import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * DNS rebinding defence: a page from another site that resolves its own name to 127.0.0.1 still
 * sends its own Host; and a cross-site request carries a foreign Origin.
 */
export function checkOrigin(request: IncomingMessage, port: number): 'ok' | 'bad-host' | 'bad-origin' | 'duplicate-host' {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // Node keeps only the first of several Host headers; a proxy may route by another. Refuse both.
  if ((request.headersDistinct?.host?.length ?? 0) > 1) return 'duplicate-host';
  if (!hosts.includes(request.headers.host ?? '')) return 'bad-host';
  const origin = request.headers.origin;
  if (origin !== undefined && !hosts.some((host) => origin === `http://${host}`)) return 'bad-origin';
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'bad-origin';
  return 'ok';
}
