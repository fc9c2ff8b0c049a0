import { contract, isProcedureName } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { Connection } from '../connections/connection';
import { AppError } from '../errors/app-error';
import { mayPassByItself, translateError, type ErrorContext } from '../errors/translate';
import { validationError } from '../errors/validation';
import type { JobStarted } from '../../shared/contract';
import type { JobRun } from '../jobs/registry';
import type { AppServices, HandlerContext, HandlerMap } from './context';

/** What a transport knows about the call it forwards. */
export interface CallOptions {
  /** Aborted when the caller goes away; the handler may stop early. */
  signal?: AbortSignal;
  /** The connection the caller's window shows (absent: the active one). */
  connectionId?: string;
}

export type Dispatch = (procedure: unknown, rawInput: unknown, options?: CallOptions) => Promise<Result<unknown>>;

/** The error context for a connection (or only the log file when none is open). */
function errorContextFor(services: AppServices, connection: Connection | null): ErrorContext {
  return {
    ...(connection ? { connection: connection.errorContext() } : {}),
    ...(services.logFile ? { logFile: services.logFile } : {}),
  };
}

function callersOrNull(services: AppServices, connectionId: string | undefined): Connection | null {
  try {
    return services.connections.forCall(connectionId);
  } catch {
    return null;
  }
}

/**
 * The one door into the features, shared by IPC and HTTP: reject unknown procedures, parse the
 * input with the contract's schema (so no transport can hand a feature what it does not expect),
 * run the handler with its context, check the output against the contract, and turn any failure
 * into an error value translated for the connection at hand.
 */
export function createDispatch(handlers: HandlerMap, services: AppServices): Dispatch {
  return async (procedure, rawInput, options = {}) => {
    if (!isProcedureName(procedure)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `There is no procedure named "${String(procedure).slice(0, 80)}".` } };
    }
    const spec = contract[procedure];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: validationError(parsed.error, rawInput) };
    // The connection the handler actually used, if any: its health is what this call learned.
    const used: { connection: Connection | null } = { connection: null };
    if (options.connectionId !== undefined && !/^[\w.:-]{1,64}$/.test(options.connectionId)) {
      return { ok: false, error: { code: 'VALIDATION', message: 'The connection id this call names is not valid.', field: 'connectionId' } };
    }
    const context = createContext(services, options.signal ?? new AbortController().signal, used, options.connectionId);
    try {
      const handler = handlers[procedure] as (input: unknown, context: HandlerContext) => Promise<unknown>;
      const data = spec.output.parse(await handler(parsed.data, context));
      if (used.connection) services.connections.reportHealth(used.connection.id, true);
      return { ok: true, data };
    } catch (error) {
      const apiError = translateError(error, errorContextFor(services, used.connection ?? callersOrNull(services, options.connectionId)));
      const detail = error instanceof Error ? (apiError.code === 'INTERNAL' ? error.stack : error.message) : String(error);
      services.log(`${procedure} failed: ${apiError.code}: ${detail}`);
      if (used.connection && apiError.code === 'CONNECTION' && mayPassByItself(error)) {
        services.connections.reportHealth(used.connection.id, false, apiError.message);
      }
      return { ok: false, error: apiError };
    }
  };
}

/** Starts long work on a connection; its failure is translated for that connection (and marks it lost when the server went away). */
export function startConnectionJob(services: AppServices, connection: Connection, kind: string, title: string, run: JobRun): JobStarted {
  return services.jobs.start({
    kind,
    title,
    connectionId: connection.id,
    run,
    translate: (error) => {
      const apiError = translateError(error, errorContextFor(services, connection));
      if (apiError.code === 'CONNECTION' && mayPassByItself(error)) services.connections.reportHealth(connection.id, false, apiError.message);
      return apiError;
    },
  });
}

/**
 * The caller's connection. While it is lost, calls fail at once with what was said when it was
 * lost, rather than each waiting for its own timeout; the manager's probe finds it back.
 */
function usableConnection(services: AppServices, connectionId: string | undefined): Connection {
  const connection = services.connections.forCall(connectionId);
  const health = services.connections.state(connection.id);
  if (health.state === 'lost') {
    const message = health.message ?? 'The connection is lost.';
    throw new AppError('CONNECTION', /reconnect|retrying/i.test(message) ? message : `${message} Simple DB keeps trying to reconnect.`);
  }
  return connection;
}

/**
 * Long work about a connection that is not open (testing a profile): its errors are translated by
 * the work itself, for the profile at hand, and never mark an open connection lost.
 */
export function startConnectionlessJob(services: AppServices, kind: string, title: string, run: JobRun, about = 'none'): JobStarted {
  return services.jobs.start({ kind, title, connectionId: about, run, translate: (error) => translateError(error, errorContextFor(services, null)) });
}

function createContext(
  services: AppServices,
  signal: AbortSignal,
  used: { connection: Connection | null },
  connectionId: string | undefined,
): HandlerContext {
  return {
    get connection() {
      return (used.connection = usableConnection(services, connectionId));
    },
    connectionId,
    signal,
    emit: (event) => services.bus.emit(event),
    startJob(kind, title, run) {
      return startConnectionJob(services, usableConnection(services, connectionId), kind, title, run);
    },
    services,
  };
}
