import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppEvent } from '../../shared/contract';
import type { EventSource } from '../events/source';
import { SECURITY_HEADERS } from '../security/content-policy';

/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

function frame(event: AppEvent): string {
  // JSON has no raw line breaks, so each event is exactly one `data:` line.
  return `data: ${JSON.stringify(event)}\n\n`;
}

/**
 * GET /events as server-sent events. The page reads it with a streamed fetch (so the bearer token
 * travels in a header, never in a URL). When the page goes away the subscription ends with it.
 */
export function serveEventStream(request: IncomingMessage, response: ServerResponse, source: EventSource): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const send = (event: AppEvent) => {
    if (!response.writableEnded && !response.destroyed) response.write(frame(event));
  };
  for (const event of source.snapshot()) send(event);
  const unsubscribe = source.subscribe(send);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  request.once('close', stop);
  response.once('close', stop);
}
