import { appEventSchema, type AppEvent } from '../../shared/contract';
import { connection } from './transport';

/** Whether events are arriving: the jobs store polls instead while they are not. */
export type EventStreamState = 'connecting' | 'open' | 'closed' | 'unauthorized';

type Listener = (event: AppEvent) => void;
type StateListener = (state: EventStreamState) => void;

/** Reconnect waits: short at first, never more than this. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/** Anything that does not parse as one of the contract's events is dropped, never acted on. */
function parseEvent(raw: unknown): AppEvent | null {
  const parsed = appEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * Listens to what the main process sends without being asked (job progress, connection state).
 * Electron: the preload's `onEvent`. Browser mode: `GET /events` as a streamed fetch, so the bearer
 * token travels in a header and never in a URL. Returns the way to stop listening.
 */
export function subscribeToEvents(listener: Listener, onStateChange?: StateListener): () => void {
  if (connection.kind === 'ipc') {
    onStateChange?.('open');
    return connection.preload.onEvent((raw) => {
      const event = parseEvent(raw);
      if (event) listener(event);
    });
  }
  return streamEvents(connection.token, listener, onStateChange);
}

/** `data: <json>` lines of one server-sent event; comment lines (`: heartbeat`) are skipped. */
function dataOfBlock(block: string): string | null {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  return data.length > 0 ? data.join('\n') : null;
}

function streamEvents(token: string | null, onEvent: Listener, onStateChange?: StateListener): () => void {
  if (!token) {
    onStateChange?.('unauthorized');
    return () => undefined;
  }
  const controller = new AbortController();
  let retryMs = RETRY_FIRST_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function deliver(block: string): void {
    const data = dataOfBlock(block);
    if (data === null) return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const event = parseEvent(raw);
    if (event) onEvent(event);
  }

  async function readOnce(): Promise<'again' | 'stop'> {
    onStateChange?.('connecting');
    const response = await fetch('/events', {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) {
      onStateChange?.('unauthorized');
      return 'stop';
    }
    if (!response.ok || !response.body) return 'again';
    onStateChange?.('open');
    retryMs = RETRY_FIRST_MS;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'again';
      buffer += value.replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        deliver(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  function connect(): void {
    readOnce()
      .catch(() => 'again' as const)
      .then((next) => {
        if (controller.signal.aborted || next === 'stop') return;
        onStateChange?.('closed');
        // The server sends a fresh jobs.snapshot on every connect, so nothing is lost by waiting.
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      })
      .catch(() => undefined);
  }

  connect();
  return () => {
    clearTimeout(retryTimer);
    controller.abort();
  };
}
