import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Database } from '../db/connect';
import { AppError } from '../errors/app-error';
import type { ProcedureParsedInput, User, UserDetail, UserListOutput } from '../../shared/contract';
import { decodeCursor, encodeCursor } from './cursor';
import { countProductsOwnedBy, findUserByEmail, lookUpUserByEmail, searchCondition, selectUser, SORT_COLUMNS, USER_COLUMNS } from './queries';

type ListInput = ProcedureParsedInput<'users.list'>;
type GetInput = ProcedureParsedInput<'users.get'>;
type CreateInput = ProcedureParsedInput<'users.create'>;
type UpdateInput = ProcedureParsedInput<'users.update'>;

/** Above this many rows (by the planner's statistics) totals are estimates, labelled as such. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * Users: the seed's create, read, update and delete, plus the paged list the screen needs.
 * Inputs arrive already validated and normalised by the contract's schemas (email trimmed and
 * lower-cased); this module adds the rules that need the database.
 */
export function createUserService(db: Database) {
  const { sequelize, models } = db;

  const notFound = (id: number) => new AppError('NOT_FOUND', `User #${id} does not exist (it may have been deleted). Refresh the list.`);
  const conflict = (existing: User) =>
    new AppError('CONFLICT', `The email ${existing.email} is already used by user #${existing.id} (${existing.name}).`, {
      field: 'email',
      existingId: existing.id,
    });

  /** Runs a write; a unique violation that slipped past our check (a race) becomes the same CONFLICT. */
  async function guardEmail<T>(email: string | undefined, exceptId: number | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueConstraintError && email) {
        const existing = await findUserByEmail(sequelize, email, exceptId);
        if (existing) throw conflict(existing);
      }
      throw error;
    }
  }

  async function list(input: ListInput): Promise<UserListOutput> {
    const { column, cast } = SORT_COLUMNS[input.sort];
    const direction = input.direction === 'desc' ? 'DESC' : 'ASC';
    const comparison = input.direction === 'desc' ? '<' : '>';
    const bind: unknown[] = [];
    const where: string[] = [];
    const condition = searchCondition(input.search, bind);
    if (condition) where.push(condition);
    // The search alone (without the page's keyset) is what the total counts.
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterBind = [...bind];
    if (input.after) {
      const cursor = decodeCursor(input.after, { sort: input.sort, direction: input.direction, search: input.search });
      if (input.sort === 'id') {
        bind.push(cursor.id);
        where.push(`id ${comparison} $${bind.length}::integer`);
      } else {
        // A row-value comparison: one index-friendly condition, ties broken by id.
        bind.push(cursor.value, cursor.id);
        where.push(`(${column}, id) ${comparison} ($${bind.length - 1}::${cast}, $${bind.length}::integer)`);
      }
    }
    bind.push(input.pageSize + 1);
    const orderBy = input.sort === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
    const rows = await sequelize.query<User>(
      `SELECT ${USER_COLUMNS} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT $${bind.length}`,
      { bind, type: QueryTypes.SELECT },
    );
    const page = rows.slice(0, input.pageSize);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > input.pageSize && last
        ? encodeCursor({
            sort: input.sort,
            direction: input.direction,
            search: input.search,
            value: input.sort === 'created_at' ? last.createdAt : last[input.sort],
            id: last.id,
          })
        : null;
    // The first page holding every match is itself the exact count: no estimate next to 2 rows.
    const total = !input.after && !nextCursor ? { count: page.length, estimated: false } : await countUsers(filter, filterBind);
    return { rows: page, nextCursor, total };
  }

  /** Exact while the table is small; the planner's estimate (labelled) once counting would be slow. */
  async function countUsers(filter: string, bind: unknown[]): Promise<UserListOutput['total']> {
    const [stats] = await sequelize.query<{ estimate: number }>(`SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = 'users'::regclass`, {
      type: QueryTypes.SELECT,
    });
    const tableEstimate = Number(stats?.estimate ?? -1);
    if (tableEstimate < EXACT_COUNT_LIMIT) {
      const [row] = await sequelize.query<{ count: string }>(`SELECT count(*) AS count FROM users ${filter}`, { bind, type: QueryTypes.SELECT });
      return { count: Number(row?.count ?? 0), estimated: false };
    }
    if (!filter) return { count: tableEstimate, estimated: true };
    const [plan] = await sequelize.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM users ${filter}`,
      { bind, type: QueryTypes.SELECT },
    );
    return { count: Math.round(plan?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0), estimated: true };
  }

  async function get(input: GetInput): Promise<UserDetail> {
    const user = input.id !== undefined ? await selectUser(sequelize, input.id) : await lookUpUserByEmail(sequelize, input.email!);
    if (!user) {
      throw input.id !== undefined ? notFound(input.id) : new AppError('NOT_FOUND', `No user has the email ${input.email}.`, { field: 'email' });
    }
    return { ...user, productCount: await countProductsOwnedBy(sequelize, user.id) };
  }

  async function create(input: CreateInput): Promise<User> {
    return guardEmail(input.email, null, () =>
      sequelize.transaction(async (transaction) => {
        const existing = await findUserByEmail(sequelize, input.email, null, transaction);
        if (existing) throw conflict(existing);
        const user = await models.User.create({ email: input.email, name: input.name }, { transaction });
        return (await selectUser(sequelize, user.id, transaction))!;
      }),
    );
  }

  async function update(input: UpdateInput): Promise<User> {
    if (input.email === undefined && input.name === undefined) {
      throw new AppError('VALIDATION', 'Nothing to change: give a new email or name.', { field: 'name' });
    }
    return guardEmail(input.email, input.id, () =>
      sequelize.transaction(async (transaction) => {
        const user = await models.User.findByPk(input.id, { transaction, lock: transaction.LOCK.UPDATE });
        if (!user) throw notFound(input.id);
        if (input.email !== undefined && input.email !== user.email) {
          const existing = await findUserByEmail(sequelize, input.email, input.id, transaction);
          if (existing) throw conflict(existing);
          user.email = input.email;
        }
        if (input.name !== undefined) user.name = input.name;
        await user.save({ transaction });
        return (await selectUser(sequelize, input.id, transaction))!;
      }),
    );
  }

  async function remove(id: number): Promise<{ id: number; productsUnowned: number }> {
    return sequelize.transaction(async (transaction) => {
      const user = await models.User.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!user) throw notFound(id);
      // Counted inside the same transaction as the delete, so the number reported is the number changed.
      const productsUnowned = await countProductsOwnedBy(sequelize, id, transaction);
      await user.destroy({ transaction }); // ON DELETE SET NULL un-parents the products
      return { id, productsUnowned };
    });
  }

  return { list, get, create, update, remove };
}
