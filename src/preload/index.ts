import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL } from '../shared/procedures';
import { buildPreloadApi } from './api-object';

// The only bridge between the sandboxed page and the main process. It exposes named calls, never
// ipcRenderer itself, so a compromised page can reach nothing but the contract's procedures (and
// the main process validates every input anyway).
contextBridge.exposeInMainWorld(
  'api',
  buildPreloadApi((procedure, input) => ipcRenderer.invoke(IPC_CHANNEL, procedure, input)),
);
