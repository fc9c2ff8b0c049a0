import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Product } from '../../shared/contract';

/**
 * The columns the screens show, in the contract's shape, over `products p LEFT JOIN users u`
 * (see PRODUCT_FROM). PostgreSQL builds the owner object itself, so every query that uses these
 * columns answers in the same shape with no mapping step, and an unowned product (or one whose
 * owner was deleted, ON DELETE SET NULL) has `owner: null` rather than an object of nulls. Only
 * the owner's id, email and name are read: never more of the users row than the screens show.
 */
export const PRODUCT_COLUMNS = `p.id, p.name, CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'email', u.email, 'name', u.name) END AS owner`;

/** The FROM clause PRODUCT_COLUMNS reads: LEFT JOIN, so products without an owner are kept. */
export const PRODUCT_FROM = 'products p LEFT JOIN users u ON u.id = p.owner_id';

/** A product as a write returned it: the contract's shape plus the owner_id the row now holds. */
export type WrittenProduct = Product & { ownerId: number | null };

/**
 * A single-statement write on products (`INSERT …` or `UPDATE …`, without RETURNING) read back in
 * the contract's shape. One statement is atomic on its own, and its foreign-key check sees the
 * owner as committed at that moment, so no separate transaction or existence check is needed.
 * `ownerId` comes along because the join reads users as of the statement's start: see
 * `settleOwner` in the service for the one case where that differs from what the check saw.
 */
export function writeReturningProduct(write: string): string {
  return `WITH p AS (${write} RETURNING id, name, owner_id) SELECT ${PRODUCT_COLUMNS}, p.owner_id AS "ownerId" FROM p LEFT JOIN users u ON u.id = p.owner_id`;
}

export async function selectProduct(sequelize: Sequelize, id: number, transaction?: Transaction): Promise<Product | null> {
  const rows = await sequelize.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM ${PRODUCT_FROM} WHERE p.id = $1`, {
    bind: [id],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  return rows[0] ?? null;
}
