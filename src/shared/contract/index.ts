import type { z } from 'zod';
import { appContract } from './app';
import { backupsContract } from './backups';
import { connectionsContract } from './connections';
import { jobsContract } from './jobs';
import { migrationsContract } from './migrations';
import { productsContract } from './products';
import { transferContract } from './transfer';
import { usersContract } from './users';

export * from './app';
export * from './backups';
export * from './connections';
export * from './common';
export * from './events';
export * from './jobs';
export * from './migrations';
export * from './paging';
export * from './products';
export * from './transfer';
export * from './users';

/**
 * The one contract between the renderer and the main process: every procedure's input and output
 * schema, one file per feature, merged here. Both transports and the renderer's client derive
 * from this object, and every type comes from a schema rather than being written twice.
 * Procedures are noun.verb; a new feature adds its file and one line below.
 */
export const contract = {
  ...appContract,
  ...migrationsContract,
  ...usersContract,
  ...productsContract,
  ...transferContract,
  ...jobsContract,
  ...backupsContract,
  ...connectionsContract,
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ProcedureName = keyof Contract;
export type ProcedureInput<P extends ProcedureName> = z.input<Contract[P]['input']>;
export type ProcedureOutput<P extends ProcedureName> = z.infer<Contract[P]['output']>;
export type ProcedureParsedInput<P extends ProcedureName> = z.infer<Contract[P]['input']>;

export const procedureNames = Object.keys(contract) as ProcedureName[];

export function isProcedureName(name: unknown): name is ProcedureName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
