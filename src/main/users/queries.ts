import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { SortKey, User } from '../../shared/contract';
import type { ListSpec } from '../lists/keyset';

/**
 * The columns the screens show, in the contract's shape. `created_at` is rendered by PostgreSQL
 * with microseconds, so it is exact for keyset paging and independent of this process's time zone.
 */
export const USER_COLUMNS = `id, email, name, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "createdAt"`;

/**
 * The users list for the keyset engine: each sort is served by an index walk in both directions:
 * the primary key, the unique email index (email alone orders every row), (name, id) and
 * (created_at, id) from the list-indexes migration.
 */
export const USERS: ListSpec<User, SortKey> = {
  list: 'users',
  from: 'users',
  countFrom: 'users',
  table: 'users',
  id: 'id',
  columns: USER_COLUMNS,
  sorts: {
    id: { expression: 'id', kind: 'int', cast: 'integer', unique: true, stats: null, label: 'Ids' },
    email: { expression: 'email', kind: 'text', cast: 'varchar', unique: true, stats: { relation: 'users', column: 'email' }, label: 'Emails' },
    name: { expression: 'name', kind: 'text', cast: 'varchar', unique: false, stats: { relation: 'users', column: 'name' }, label: 'Names' },
    created_at: {
      expression: 'created_at',
      kind: 'timestamp',
      cast: 'timestamp',
      unique: false,
      stats: { relation: 'users', column: 'created_at' },
      label: 'Created',
    },
  },
  keyOf: (row, sort) => (sort === 'created_at' ? row.createdAt : row[sort]),
  noun: { one: 'user', many: 'users', title: 'User' },
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

/** `%term%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(search: string): string {
  return `%${likeLiteral(search)}%`;
}

/** Text matched exactly by ILIKE: the user's own %, _ and backslash taken literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
