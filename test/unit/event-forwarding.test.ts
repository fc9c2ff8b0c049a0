import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/contract';
import { IPC_EVENT_CHANNEL } from '../../src/shared/ipc';
import { RENDERER_URL } from '../../src/main/electron/app-origin';
import { forwardEvents, type EventTarget } from '../../src/main/electron/event-forwarding';
import { isTrustedSender } from '../../src/main/electron/sender-check';
import { EventBus } from '../../src/main/events/bus';

/** A window's WebContents as far as event forwarding sees it. */
function fakeContents(url = RENDERER_URL) {
  const sent: Array<[string, unknown]> = [];
  const handlers = new Map<string, Array<() => void>>();
  let destroyed = false;
  const contents: EventTarget & { url: string } = {
    url,
    isDestroyed: () => destroyed,
    getURL: () => contents.url,
    send: (channel, payload) => sent.push([channel, payload]),
    on: (event, listener) => handlers.set(event, [...(handlers.get(event) ?? []), listener]),
    off: (event, listener) =>
      handlers.set(
        event,
        (handlers.get(event) ?? []).filter((l) => l !== listener),
      ),
    once: (event, listener) => handlers.set(event, [...(handlers.get(event) ?? []), listener]),
  };
  const fire = (event: string) => (handlers.get(event) ?? []).forEach((listener) => listener());
  return {
    contents,
    sent,
    fire,
    destroy: () => {
      destroyed = true;
      fire('destroyed');
    },
  };
}

const progress: AppEvent = { type: 'connection.state', connectionId: 'embedded', state: 'open' };

describe('events to the desktop window', () => {
  it('go on the one event channel, with the jobs snapshot first whenever the page (re)loads', () => {
    const bus = new EventBus();
    const window = fakeContents();
    forwardEvents(window.contents, { subscribe: (l) => bus.subscribe(l), snapshot: () => [{ type: 'jobs.snapshot', jobs: [] }] }, RENDERER_URL);
    window.fire('did-finish-load');
    bus.emit(progress);
    expect(window.sent).toEqual([
      [IPC_EVENT_CHANNEL, { type: 'jobs.snapshot', jobs: [] }],
      [IPC_EVENT_CHANNEL, progress],
    ]);
  });

  it('never reach a page that is not ours, and stop when the window is destroyed', () => {
    const bus = new EventBus();
    const window = fakeContents();
    forwardEvents(window.contents, { subscribe: (l) => bus.subscribe(l), snapshot: () => [] }, RENDERER_URL);
    window.contents.url = 'https://elsewhere.example/';
    bus.emit(progress);
    expect(window.sent).toEqual([]);
    window.contents.url = `${RENDERER_URL}#users`;
    bus.emit(progress);
    expect(window.sent).toHaveLength(1);
    window.destroy();
    expect(bus.listenerCount).toBe(0);
  });
});

describe('the IPC sender check on app://', () => {
  it('serves only the main frame of our own page', () => {
    expect(isTrustedSender({ frameUrl: RENDERER_URL, isMainFrame: true }, RENDERER_URL)).toBe(true);
    expect(isTrustedSender({ frameUrl: `${RENDERER_URL}?x=1`, isMainFrame: true }, RENDERER_URL)).toBe(true);
    expect(isTrustedSender({ frameUrl: RENDERER_URL, isMainFrame: false }, RENDERER_URL)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/index.html', isMainFrame: true }, RENDERER_URL)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'app://evil/index.html', isMainFrame: true }, RENDERER_URL)).toBe(false);
  });
});
