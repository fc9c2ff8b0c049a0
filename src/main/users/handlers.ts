import type { FeatureHandlers } from '../api/context';
import { countSummary, countUsersExactly } from './count';
import { createUserService } from './service';

export const userHandlers: FeatureHandlers<'users.list' | 'users.get' | 'users.create' | 'users.update' | 'users.delete' | 'users.count'> = {
  'users.list': (input, { connection }) => createUserService(connection.db).list(input),
  'users.get': (input, { connection }) => createUserService(connection.db).get(input),
  'users.create': (input, { connection }) => createUserService(connection.db).create(input),
  'users.update': (input, { connection }) => createUserService(connection.db).update(input),
  'users.delete': (input, { connection }) => createUserService(connection.db).remove(input.id),
  'users.count': (input, context) => {
    const { db } = context.connection;
    const title = input.search ? `Count users matching “${input.search}”` : 'Count all users';
    const started = context.startJob('users.count', title, async (control) => {
      const result = await countUsersExactly(db, input.search, control);
      return { summary: countSummary(result), result };
    });
    return Promise.resolve(started);
  },
};
