import type { z } from 'zod';
import { contract, type Contract, type ProcedureOutput } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { isProcedureName, type ProcedureName } from '../../shared/procedures';
import type { Logger } from '../log/logger';
import { translateError, type ErrorContext } from './translate-error';
import { validationError } from './validation-error';

export type Handlers = {
  [P in ProcedureName]: (input: z.infer<Contract[P]['input']>) => Promise<ProcedureOutput<P>>;
};

export type Dispatch = (procedure: unknown, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * The one door into the services, shared by IPC and HTTP: reject unknown procedures, parse the
 * input with the contract's schema (so no transport can hand a service what it does not expect),
 * run the handler, check the output against the contract, and turn any failure into an error value.
 */
export function createDispatch(handlers: Handlers, errorContext: () => ErrorContext, log: Logger): Dispatch {
  return async (procedure, rawInput) => {
    if (!isProcedureName(procedure)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `There is no procedure named "${String(procedure).slice(0, 80)}".` } };
    }
    const spec = contract[procedure];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: validationError(parsed.error, rawInput) };
    try {
      const handler = handlers[procedure] as (input: unknown) => Promise<unknown>;
      const data = spec.output.parse(await handler(parsed.data));
      return { ok: true, data };
    } catch (error) {
      const apiError = translateError(error, errorContext());
      const detail = error instanceof Error ? (apiError.code === 'INTERNAL' ? error.stack : error.message) : String(error);
      log(`${procedure} failed: ${apiError.code}: ${detail}`);
      return { ok: false, error: apiError };
    }
  };
}
