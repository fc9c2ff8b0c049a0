import { procedureNames, type ProcedureName } from '../shared/procedures';

type Call = (procedure: ProcedureName, input: unknown) => Promise<unknown>;

/**
 * The object the preload exposes as `window.api`: `call` plus one function per procedure
 * (`api.users.list(input)`), all going through the one IPC call. Kept free of Electron so it is
 * unit-tested.
 */
export function buildPreloadApi(call: Call): Record<string, unknown> {
  const api: Record<string, unknown> = { call };
  for (const procedure of procedureNames) {
    const [namespace, method] = procedure.split('.') as [string, string];
    const group = (api[namespace] ??= {}) as Record<string, (input?: unknown) => Promise<unknown>>;
    group[method] = (input?: unknown) => call(procedure, input ?? {});
  }
  return api;
}
