import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL, procedureNames, type ProcedureName } from '../shared/procedures';

// The only bridge between the sandboxed page and the main process. It exposes named calls, never
// ipcRenderer itself, so a compromised page can reach nothing but the contract's procedures (and
// the main process validates every input anyway).
const call = (procedure: ProcedureName, input: unknown) => ipcRenderer.invoke(IPC_CHANNEL, procedure, input);

const api: Record<string, unknown> = { call };
for (const procedure of procedureNames) {
  const [namespace, method] = procedure.split('.') as [string, string];
  const group = (api[namespace] ??= {}) as Record<string, (input?: unknown) => Promise<unknown>>;
  group[method] = (input?: unknown) => call(procedure, input ?? {});
}

contextBridge.exposeInMainWorld('api', api);
