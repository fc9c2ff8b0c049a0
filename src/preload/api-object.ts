import type { PreloadApi } from '../shared/client';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc';

/** The slice of Electron's ipcRenderer the preload uses, so the bridge is tested without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/**
 * The object the preload exposes as `window.api`: one call and one event subscription, never
 * ipcRenderer itself, so a compromised page can reach nothing but the contract's procedures (and
 * the main process validates every input and checks the sender anyway). Electron's own event
 * object never reaches the page: listeners get the payload only.
 */
export function buildPreloadApi(ipc: IpcRendererLike): PreloadApi {
  return {
    call: (procedure, input, meta) => ipc.invoke(IPC_CALL_CHANNEL, procedure, input, meta) as ReturnType<PreloadApi['call']>,
    onEvent: (listener) => {
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(IPC_EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, forward);
      };
    },
  };
}
