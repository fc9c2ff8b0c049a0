import type { Result } from './errors';
import type { ProcedureName } from './procedures';

/**
 * What the preload exposes as `window.api`: one function per procedure (`api.users.list(input)`)
 * and a generic `call`. Both resolve to the contract's Result envelope, because an error thrown
 * across contextBridge would lose its code; the renderer's client turns failures into exceptions.
 */
export type PreloadApi = {
  call(procedure: ProcedureName, input: unknown): Promise<Result<unknown>>;
} & Record<string, unknown>;
