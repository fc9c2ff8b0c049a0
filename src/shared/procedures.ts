/**
 * Procedure names only, with no dependencies: the sandboxed preload imports this file to build
 * `window.api` without bundling zod. `contract.ts` checks that it has a schema for each name.
 */
export const procedureNames = [
  'app.info',
  'migrations.status',
  'migrations.up',
  'users.list',
  'users.get',
  'users.create',
  'users.update',
  'users.delete',
] as const;

export type ProcedureName = (typeof procedureNames)[number];

export function isProcedureName(name: unknown): name is ProcedureName {
  return typeof name === 'string' && (procedureNames as readonly string[]).includes(name);
}

/** The single IPC channel every call goes through; the main process validates what arrives. */
export const IPC_CHANNEL = 'simple-db:call';
