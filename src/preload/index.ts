import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api-object';

// The only bridge between the sandboxed page and the main process: `window.api.call` and
// `window.api.onEvent`, nothing else.
contextBridge.exposeInMainWorld('api', buildPreloadApi(ipcRenderer));
