import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Dispatch } from '../api/dispatch';
import { CONNECTION_HEADER } from '../../shared/ipc';
import { httpStatusOf, type ApiError, type Result } from '../../shared/errors';
import { SECURITY_HEADERS } from '../security/content-policy';
import { findStaticFile } from '../security/static-files';
import type { EventSource } from '../events/source';
import { serveEventStream } from './event-stream';
import { checkOrigin, newToken, tokenMatches } from './security';
import { receiveUpload, type UploadTarget } from './upload';

export const MAX_BODY_BYTES = 1024 * 1024;
const HOST = '127.0.0.1';
/** How long the default browser has to open the launch address. */
const LAUNCH_CODE_MS = 120_000;

export interface BrowserModeOptions {
  dispatch: Dispatch;
  /** What GET /events streams. */
  events: EventSource;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** A one-time download address's file (backups.download, transfer.download), or null when the ticket is unknown, used or expired. */
  download?: (ticket: string) => string | null;
  /** Where POST /upload writes (an import's source); without it, uploads are refused. */
  uploads?: UploadTarget;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
}

export interface BrowserModeServer {
  /** The address with the token: printed once for the admin. */
  url: string;
  /**
   * An address for another program to open (the default browser): it carries a one-time code
   * instead of the token, so no command line ever holds the token. The code works once, briefly.
   */
  launchUrl(): string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class RequestError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

function sendJson(response: ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: ApiError): void {
  sendJson(response, httpStatusOf[error.code], { ok: false, error });
}

const tooLarge = () => new RequestError({ code: 'TOO_LARGE', message: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.` });

/** Reads a JSON body of at most MAX_BODY_BYTES; refuses early on a declared oversize. */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  // The error is made only when needed: an Error's stack trace costs more than the rest of a small request's reading.
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError({ code: 'VALIDATION', message: 'The request body is not valid JSON.' });
  }
}

/** How long a request may take to arrive, body included; an upload only may not stall this long. */
const REQUEST_MS = 120_000;

/**
 * A request that does not arrive in time is dropped (a stalled client must not hold a socket for
 * ever). An upload may take as long as its size needs, as long as bytes keep coming.
 */
function bodyDeadline(request: IncomingMessage, response: ServerResponse): void {
  if (request.url?.startsWith('/upload')) {
    request.setTimeout(REQUEST_MS, () => request.destroy());
    return;
  }
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return; // a GET, /events: nothing left to arrive
  const timer = setTimeout(() => request.destroy(), REQUEST_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  request.once('end', done);
  request.once('close', done);
  response.once('finish', done);
}

const UNAUTHORIZED: ApiError = {
  code: 'UNAUTHORIZED',
  message: 'Missing or wrong token. Open the address Simple DB printed at start (it includes ?token=…).',
};

/**
 * Browser mode: the renderer, `POST /api/<procedure>` and `GET /events` on 127.0.0.1 only. Every
 * request must carry our Host (once, and no foreign Origin); /api and /events must also carry the
 * token printed at start, as a bearer header.
 */
export async function startBrowserModeServer(options: BrowserModeOptions): Promise<BrowserModeServer> {
  const token = options.token ?? newToken();
  const staticDir = path.resolve(options.staticDir);
  let port = 0;

  async function handleApi(request: IncomingMessage, response: ServerResponse, procedure: string): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return sendJson(response, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST for /api calls.' } });
    }
    if (!tokenMatches(request.headers.authorization, token)) return sendError(response, UNAUTHORIZED);
    const input = await readJsonBody(request);
    // A page that goes away (reload, closed tab) aborts what it asked for.
    const caller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) caller.abort();
    });
    const connectionId = request.headers[CONNECTION_HEADER];
    if (Array.isArray(connectionId)) {
      return sendError(response, { code: 'VALIDATION', message: `Send ${CONNECTION_HEADER} once.`, field: 'connectionId' });
    }
    const result = await options.dispatch(procedure, input, {
      signal: caller.signal,
      ...(typeof connectionId === 'string' ? { connectionId } : {}),
    });
    if (result.ok) return sendJson(response, 200, result);
    return sendError(response, result.error);
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      return sendJson(response, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use GET for /events.' } });
    }
    if (!tokenMatches(request.headers.authorization, token)) return sendError(response, UNAUTHORIZED);
    serveEventStream(request, response, options.events);
  }

  const launchCodes = new Map<string, number>();
  function redeemLaunchCode(code: string): boolean {
    const expires = launchCodes.get(code);
    launchCodes.delete(code);
    return expires !== undefined && expires > Date.now();
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, urlPath: string, query: URLSearchParams): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' });
      return void response.end();
    }
    const launch = query.get('launch');
    if (urlPath === '/' && launch && redeemLaunchCode(launch)) {
      // The page takes the token from its address and removes it from there at once.
      response.writeHead(303, { ...SECURITY_HEADERS, Location: `/?token=${token}`, 'Cache-Control': 'no-store' });
      return void response.end();
    }
    const found = await findStaticFile(staticDir, urlPath);
    if (!found) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void response.end('Not found');
    }
    const body = await fs.readFile(found.file);
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': found.type,
      'Content-Length': body.length,
      // Assets have content hashes in their names; the page itself must always be fresh.
      'Cache-Control': found.type.startsWith('text/html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  /**
   * `POST /upload?name=…`: a file for an import, streamed to disk (see receiveUpload), answered with
   * its handle. Guarded like /api. A refusal before the body is read closes the connection, so the
   * rest of a large body is not waited for on a connection that is then reused.
   */
  async function handleUpload(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      response.setHeader('Connection', 'close');
      return sendJson(response, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST for /upload.' } });
    }
    const refuseUnread = (error: ApiError) => {
      response.setHeader('Connection', 'close');
      sendError(response, error);
      request.resume();
    };
    if (!tokenMatches(request.headers.authorization, token)) return refuseUnread(UNAUTHORIZED);
    if (!options.uploads) return refuseUnread({ code: 'NOT_FOUND', message: 'Uploads are not available here.' });
    const outcome = await receiveUpload(request, query, options.uploads);
    if (outcome.ok) return sendJson(response, 200, outcome);
    if (outcome.bodyUnread) return refuseUnread(outcome.error);
    if (!response.destroyed) sendError(response, outcome.error);
  }

  /** A file through its one-time ticket (the ticket is the credential: it came from an authorised call). */
  async function handleDownload(response: ServerResponse, ticket: string): Promise<void> {
    const file = options.download?.(ticket) ?? null;
    if (!file) throw new RequestError({ code: 'NOT_FOUND', message: 'This download address has expired or was already used. Click Download again.' });
    const stat = await fs.stat(file);
    const name = path.basename(file);
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      // A CSV (an export, an import's report) says so, so the browser names and opens it as one; anything else is bytes.
      'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream',
      'Content-Length': stat.size,
      'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    });
    await pipeline(createReadStream(file), response);
  }

  const server = http.createServer((request, response) => {
    bodyDeadline(request, response);
    void (async () => {
      try {
        const origin = checkOrigin(request, port);
        if (origin === 'duplicate-host') {
          response.setHeader('Connection', 'close');
          return sendJson(response, 400, { ok: false, error: { code: 'VALIDATION', message: 'A request must have exactly one Host header.' } });
        }
        if (origin !== 'ok') {
          return sendError(response, {
            code: 'FORBIDDEN',
            message:
              origin === 'bad-host'
                ? 'Unexpected Host header: Simple DB answers only to 127.0.0.1 and localhost.'
                : 'Requests from other sites are refused.',
          });
        }
        const url = new URL(request.url ?? '/', `http://${HOST}`);
        const urlPath = url.pathname;
        if (urlPath.startsWith('/api/')) return await handleApi(request, response, urlPath.slice('/api/'.length));
        if (urlPath === '/events') return handleEvents(request, response);
        if (urlPath === '/upload') return await handleUpload(request, response, url.searchParams);
        if (urlPath.startsWith('/download/')) return await handleDownload(response, urlPath.slice('/download/'.length));
        return await handleStatic(request, response, urlPath, url.searchParams);
      } catch (error) {
        const apiError = error instanceof RequestError ? error.error : { code: 'INTERNAL' as const, message: 'The request failed unexpectedly.' };
        if (!response.headersSent) {
          // Stop reading an oversized body and make the client see the answer.
          if (apiError.code === 'TOO_LARGE') response.setHeader('Connection', 'close');
          sendError(response, apiError);
        } else response.destroy();
        if (apiError.code === 'TOO_LARGE') request.resume();
      }
    })();
  });
  server.headersTimeout = 20_000;
  // Node's requestTimeout would cut off an upload of a large CSV after its fixed time; each request
  // gets its own deadline instead (see bodyDeadline): whole-body for /api, idle-only for /upload.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    launchUrl: () => {
      const code = newToken();
      launchCodes.set(code, Date.now() + LAUNCH_CODE_MS);
      return `http://${HOST}:${port}/?launch=${code}`;
    },
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
