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

/** Case-insensitive, so `Bob@X.com` stored by another tool still counts as taken by `bob@x.com`. */
export async function findUserByEmail(sequelize: Sequelize, email: string, exceptId: number | null, transaction?: Transaction): Promise<User | null> {
  // The exact match uses ix_users_email; the lower() fallback catches mixed-case rows from elsewhere.
  const rows = await sequelize.query<User>(
    `SELECT ${USER_COLUMNS} FROM users
      WHERE (email = $1 OR lower(email) = $1) AND ($2::integer IS NULL OR id <> $2)
      ORDER BY (email = $1) DESC, id LIMIT 1`,
    { bind: [email, exceptId], type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) },
  );
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
