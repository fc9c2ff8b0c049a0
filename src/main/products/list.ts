import type { Database } from '../db/connect';
import { AppError } from '../errors/app-error';
import type { LocateOutput, ProcedureParsedInput, ProductListOutput } from '../../shared/contract';

// Placeholder so the products handlers typecheck until the paged list and locate land here.
export function listProducts(_db: Database, _input: ProcedureParsedInput<'products.list'>): Promise<ProductListOutput> {
  return Promise.reject(new AppError('INTERNAL', 'not yet'));
}

export function locateProduct(_db: Database, _input: ProcedureParsedInput<'products.locate'>): Promise<LocateOutput> {
  return Promise.reject(new AppError('INTERNAL', 'not yet'));
}
