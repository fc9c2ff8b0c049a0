import type { PreloadApi, Transport } from '../../shared/client';
import type { ApiError, Result } from '../../shared/errors';
import { CONNECTION_HEADER } from '../../shared/ipc';

declare global {
  interface Window {
    /** Exposed by the Electron preload (`call` and `onEvent`, nothing else); absent in browser mode. */
    api?: PreloadApi;
  }
}

const TOKEN_KEY = 'simple-db-token';

/** What to do when browser mode has no token, or the wrong one: the one sentence every screen shows. */
const TOKEN_HELP = 'Open the address printed by `npm start` (it ends with ?token=…).';

/** Browser mode without a token, or with one the server refuses: no call can succeed. */
export const UNAUTHORIZED: ApiError = { code: 'UNAUTHORIZED', message: TOKEN_HELP };

/**
 * Browser mode: the server prints `/?token=…` once. Take the token from the address, keep it in
 * this tab's sessionStorage (so a reload still works) and drop it from the address bar and history.
 */
function takeTokenFromAddress(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const NOT_ANSWERING: Result<unknown> = {
  ok: false,
  error: {
    code: 'CONNECTION',
    message: 'Simple DB is not answering. Is `npm start` still running? Restart it and reload this page.',
  },
};

function unexpectedReply(status: number): Result<unknown> {
  // Something answered, but not Simple DB's API (a proxy's error page, a cut-off body).
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `Simple DB answered with an unexpected reply (HTTP ${status}). Reload the page; if it persists, restart Simple DB.`,
    },
  };
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/**
 * Browser mode: `POST /api/<procedure>` with the bearer token, and the window's connection as a
 * header. Never throws; failures are Results.
 */
export function httpTransport(token: string | null): Transport {
  return async (procedure, input, meta) => {
    // Without a token the server can only refuse: say what to do without asking it.
    if (!token) return { ok: false, error: UNAUTHORIZED };
    let response: Response;
    try {
      response = await fetch(`/api/${procedure}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
          ...(meta?.connectionId ? { [CONNECTION_HEADER]: meta.connectionId } : {}),
        },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return NOT_ANSWERING;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return unexpectedReply(response.status);
    }
    if (!isResult(body)) return unexpectedReply(response.status);
    // The server's own words name its start-up line; the window says the same thing everywhere.
    if (!body.ok && body.error.code === 'UNAUTHORIZED') return { ok: false, error: UNAUTHORIZED };
    return body;
  };
}

/** How this window reaches the main process: the preload's IPC bridge, or loopback HTTP. */
export type Connection = { kind: 'ipc'; preload: PreloadApi } | { kind: 'http'; token: string | null };

/**
 * Decided once at start-up, so browser mode reads (and strips) the `?token=` from the address
 * before anything else can look at or log the URL.
 */
export const connection: Connection = window.api ? { kind: 'ipc', preload: window.api } : { kind: 'http', token: takeTokenFromAddress() };
