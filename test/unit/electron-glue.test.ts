import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from '../../src/main/electron/external-url';
import { buildPreloadApi } from '../../src/preload/api-object';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../src/shared/ipc';

describe('window.api as the preload builds it', () => {
  function fakeIpc() {
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
    return {
      invoked,
      listeners,
      emit: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((listener) => listener({ sender: 'electron-internals' }, payload)),
      ipc: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, data: null };
        },
        on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
        },
        removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(listener),
      },
    };
  }

  it('exposes exactly call and onEvent; calls go through the one call channel', async () => {
    const fake = fakeIpc();
    const api = buildPreloadApi(fake.ipc);
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    await api.call('users.list', { pageSize: 25 }, { connectionId: 'p-1' });
    // The window's connection travels with the call; the main process checks it.
    expect(fake.invoked).toEqual([[IPC_CALL_CHANNEL, 'users.list', { pageSize: 25 }, { connectionId: 'p-1' }]]);
  });

  it('onEvent hands the page the payload only, and its return value unsubscribes', () => {
    const fake = fakeIpc();
    const api = buildPreloadApi(fake.ipc);
    const received: unknown[] = [];
    const unsubscribe = api.onEvent((event) => received.push(event));
    const progress = { type: 'job.progress', job: { id: 'j1' } };
    fake.emit(IPC_EVENT_CHANNEL, progress);
    expect(received).toEqual([progress]); // never Electron's event object
    unsubscribe();
    fake.emit(IPC_EVENT_CHANNEL, { type: 'job.finished' });
    expect(received).toHaveLength(1);
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });
});

describe('links leaving the app', () => {
  it('only http and https', () => {
    expect(isSafeExternalUrl('https://www.postgresql.org/docs/')).toBe(true);
    expect(isSafeExternalUrl('http://localhost:8080/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://x', 'not a url']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});
