import { ForeignKeyConstraintError, QueryTypes } from 'sequelize';
import type { Database } from '../db/connect';
import { adjustEstimate } from '../db/table-facts';
import { AppError } from '../errors/app-error';
import type { Product, ProcedureParsedInput } from '../../shared/contract';
import { selectProduct, writeReturningProduct, type WrittenProduct } from './queries';

type CreateInput = ProcedureParsedInput<'products.create'>;
type UpdateInput = ProcedureParsedInput<'products.update'>;

/** PostgreSQL's foreign_key_violation, as Sequelize classifies it or on the driver's error it wraps. */
function isForeignKeyViolation(error: unknown): boolean {
  if (error instanceof ForeignKeyConstraintError) return true;
  const wrapped = error as { code?: string; parent?: { code?: string }; original?: { code?: string } } | null;
  return (wrapped?.parent?.code ?? wrapped?.original?.code ?? wrapped?.code) === '23503';
}

/**
 * Products: create, read, update and delete, each write one statement that returns the product in
 * the contract's shape (owner object or null). Inputs arrive validated and trimmed by the
 * contract's schemas; this module adds what needs the database. The owner's existence is left to
 * the foreign key rather than checked first: a check and a write are two statements, and the owner
 * could be deleted between them, while the key is checked with the row lock that makes it true.
 * The paged list and locate live in `list.ts`.
 */
export function createProductService(db: Database) {
  const { sequelize } = db;

  const notFound = (id: number) => new AppError('NOT_FOUND', `Product #${id} does not exist (it may have been deleted). Refresh the list.`);
  const ownerMissing = (ownerId: number, cause: unknown) =>
    new AppError('VALIDATION', `User #${ownerId} does not exist (it may have been deleted). Choose another owner.`, { field: 'ownerId', cause });

  /**
   * Runs a write that may name an owner. products has one foreign key (owner_id → users), so a
   * violation means that owner is gone; the failed statement wrote nothing.
   */
  async function guardOwner<T>(ownerId: number | null | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (typeof ownerId === 'number' && isForeignKeyViolation(error)) throw ownerMissing(ownerId, error);
      throw error;
    }
  }

  async function writeProduct(write: string, bind: unknown[], ownerId: number | null | undefined): Promise<WrittenProduct | null> {
    const rows = await guardOwner(ownerId, () => sequelize.query<WrittenProduct>(writeReturningProduct(write), { bind, type: QueryTypes.SELECT }));
    return rows[0] ?? null;
  }

  /**
   * The write's join reads users as of the statement's start, while its foreign-key check reads
   * them as committed when it runs: an owner created in between passes the check yet is missing
   * from the join. Then (and only then) read the product again, so the answer never says "no
   * owner" for a product that has one.
   */
  async function settleOwner(written: WrittenProduct): Promise<Product> {
    const { ownerId, ...product } = written;
    if (ownerId === null || product.owner !== null) return product;
    return (await selectProduct(sequelize, product.id)) ?? product;
  }

  async function get(id: number): Promise<Product> {
    const product = await selectProduct(sequelize, id);
    if (!product) throw notFound(id);
    return product;
  }

  async function create(input: CreateInput): Promise<Product> {
    const written = await writeProduct('INSERT INTO products (name, owner_id) VALUES ($1, $2::integer)', [input.name, input.ownerId], input.ownerId);
    // The list's cached row estimate follows our own writes (see table-facts).
    adjustEstimate(db, 'products', 1);
    // An INSERT without a conflict clause always returns its row.
    return settleOwner(written!);
  }

  async function update(input: UpdateInput): Promise<Product> {
    // Only the fields given change; the column names are ours, only the values are bound.
    const bind: unknown[] = [input.id];
    const sets: string[] = [];
    if (input.name !== undefined) {
      bind.push(input.name);
      sets.push(`name = $${bind.length}`);
    }
    if (input.ownerId !== undefined) {
      bind.push(input.ownerId);
      sets.push(`owner_id = $${bind.length}::integer`);
    }
    if (!sets.length) throw new AppError('VALIDATION', 'Nothing to change: give a new name or owner.', { field: 'name' });
    // One UPDATE locks, checks and writes the row: a product deleted meanwhile matches nothing
    // (NOT_FOUND, and its owner is never checked), a concurrent edit is waited for, then applied on top.
    const written = await writeProduct(`UPDATE products SET ${sets.join(', ')} WHERE id = $1`, bind, input.ownerId);
    if (!written) throw notFound(input.id);
    return settleOwner(written);
  }

  async function remove(id: number): Promise<{ id: number }> {
    const rows = await sequelize.query<{ id: number }>('DELETE FROM products WHERE id = $1 RETURNING id', { bind: [id], type: QueryTypes.SELECT });
    if (!rows[0]) throw notFound(id);
    adjustEstimate(db, 'products', -1);
    return { id };
  }

  return { get, create, update, remove };
}
