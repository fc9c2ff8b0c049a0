import type { ApiError, Result } from './errors';
import { procedureNames, type ProcedureInput, type ProcedureName, type ProcedureOutput } from './contract';

/** What travels with every call besides its input: the window's current connection. */
export interface CallMeta {
  /** The connection the window shows (absent: the one the app started on). */
  connectionId?: string;
}

/** How a call reaches the main process: IPC in Electron, fetch in browser mode. */
export type Transport = (procedure: ProcedureName, input: unknown, meta?: CallMeta) => Promise<Result<unknown>>;

/** Thrown by the client so callers can `catch` and still see the contract's error code. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

type Split<S extends string> = S extends `${infer Head}.${infer Tail}` ? [Head, Tail] : never;
type Namespaces = Split<ProcedureName>[0];
type ProceduresIn<N extends Namespaces> = Extract<ProcedureName, `${N}.${string}`>;

/** `api.users.list(input)` etc., typed from the contract. */
export type ApiClient = {
  [N in Namespaces]: {
    [P in ProceduresIn<N> as Split<P>[1]]: (input?: ProcedureInput<P>) => Promise<ProcedureOutput<P>>;
  };
};

/** `meta()` is asked on every call, so switching the window's connection needs no new client. */
export function createClient(transport: Transport, meta: () => CallMeta = () => ({})): ApiClient {
  const client: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const procedure of procedureNames) {
    // Split at the first dot only: `backups.schedule.get` is `api.backups['schedule.get']`, as typed.
    const dot = procedure.indexOf('.');
    const namespace = procedure.slice(0, dot);
    const method = procedure.slice(dot + 1);
    client[namespace] ??= {};
    client[namespace][method] = async (input?: unknown) => {
      const result = await transport(procedure, input ?? {}, meta());
      if (!result.ok) throw new ApiCallError(result.error);
      return result.data;
    };
  }
  return client as unknown as ApiClient;
}

/** Called with each event the main process sends; returns the way to stop listening. */
type EventSubscription = (listener: (event: unknown) => void) => () => void;

/** What the Electron preload exposes as `window.api`: one call, one event stream, nothing else. */
export interface PreloadApi {
  call: Transport;
  onEvent: EventSubscription;
}
