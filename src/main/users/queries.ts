import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { SortKey, User } from '../../shared/contract';

/**
 * The columns the screens show, in the contract's shape. `created_at` is rendered by PostgreSQL
 * with microseconds, so it is exact for keyset paging and independent of this process's time zone.
 */
export const USER_COLUMNS = `id, email, name, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "createdAt"`;

/** Whitelisted sort columns and the SQL type their cursor values are cast to. */
export const SORT_COLUMNS: Record<SortKey, { column: string; cast: string }> = {
  id: { column: 'id', cast: 'integer' },
  email: { column: 'email', cast: 'varchar' },
  name: { column: 'name', cast: 'varchar' },
  created_at: { column: 'created_at', cast: 'timestamp' },
};

export async function selectUser(sequelize: Sequelize, id: number, transaction?: Transaction): Promise<User | null> {
  const rows = await sequelize.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, {
    bind: [id],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  return rows[0] ?? null;
}

/** The user with exactly this (already lower-cased) email, other than `exceptId`: one index lookup. */
export async function findUserByEmail(sequelize: Sequelize, email: string, exceptId: number | null, transaction?: Transaction): Promise<User | null> {
  const rows = await sequelize.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1 AND ($2::integer IS NULL OR id <> $2) LIMIT 1`, {
    bind: [email, exceptId],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  return rows[0] ?? null;
}

/**
 * Read by email for an admin typing it in any case: the indexed exact match first, then a
 * case-insensitive scan, only when the exact one misses, for rows another tool stored in mixed case.
 */
export async function lookUpUserByEmail(sequelize: Sequelize, email: string): Promise<User | null> {
  const exact = await findUserByEmail(sequelize, email, null);
  if (exact) return exact;
  const rows = await sequelize.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1 ORDER BY id LIMIT 1`, {
    bind: [email],
    type: QueryTypes.SELECT,
  });
  return rows[0] ?? null;
}

export async function countProductsOwnedBy(sequelize: Sequelize, id: number, transaction?: Transaction): Promise<number> {
  const rows = await sequelize.query<{ count: string }>('SELECT count(*) AS count FROM products WHERE owner_id = $1', {
    bind: [id],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  return Number(rows[0]?.count ?? 0);
}

/** `%term%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The search as a WHERE condition: "contains", case-insensitive, on email or name; binds its pattern once. */
export function searchCondition(search: string, bind: unknown[]): string | null {
  if (!search) return null;
  bind.push(containsPattern(search));
  return `(email ILIKE $${bind.length} OR name ILIKE $${bind.length})`;
}
