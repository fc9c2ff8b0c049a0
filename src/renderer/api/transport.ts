import { createClient, type ApiClient, type Transport } from '../../shared/client';
import type { Result } from '../../shared/errors';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    api?: { call: Transport };
  }
}

const TOKEN_KEY = 'simple-db-token';

/**
 * Browser mode: the server prints `/?token=…` once. Take the token from the address, keep it in
 * this tab's sessionStorage (so a reload still works) and drop it from the address bar and history.
 */
export function takeTokenFromAddress(): string | null {
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

function httpTransport(token: string | null): Transport {
  return async (procedure, input) => {
    let response: Response;
    try {
      response = await fetch(`/api/${procedure}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return NOT_ANSWERING;
    }
    try {
      return (await response.json()) as Result<unknown>;
    } catch {
      // Something answered, but not Simple DB's API (a proxy's error page, a cut-off body).
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `Simple DB answered with an unexpected reply (HTTP ${response.status}). Reload the page; if it persists, restart Simple DB.`,
        },
      };
    }
  };
}

export function createApi(): ApiClient {
  if (window.api) return createClient(window.api.call);
  return createClient(httpTransport(takeTokenFromAddress()));
}
