import type { FeatureHandlers } from '../api/context';
import { AppError } from '../errors/app-error';
import { countSummary, countUsersExactly } from './count';
import { createUserService } from './service';

/**
 * Each count holds one of the pool's ten connections while it runs: a few at once leave the rest
 * for the screens, so the app never stalls behind its own counts.
 */
const MAX_RUNNING_COUNTS = 3;

export const userHandlers: FeatureHandlers<'users.list' | 'users.get' | 'users.create' | 'users.update' | 'users.delete' | 'users.count'> = {
  'users.list': (input, { connection }) => createUserService(connection.db).list(input),
  'users.get': (input, { connection }) => createUserService(connection.db).get(input),
  'users.create': (input, { connection }) => createUserService(connection.db).create(input),
  'users.update': (input, { connection }) => createUserService(connection.db).update(input),
  'users.delete': (input, { connection }) => createUserService(connection.db).remove(input.id),
  'users.count': (input, context) => {
    const { db } = context.connection;
    const title = input.search ? `Count users matching “${input.search}”` : 'Count all users';
    const running = context.services.jobs
      .list()
      .filter((job) => job.state === 'running' && job.kind === 'users.count' && job.connectionId === context.connection.id);
    // The same count already under way: follow that one rather than count twice.
    const same = running.find((job) => job.title === title);
    if (same) return Promise.resolve({ jobId: same.id });
    if (running.length >= MAX_RUNNING_COUNTS) {
      throw new AppError(
        'CONFLICT',
        `${MAX_RUNNING_COUNTS} counts are already running on this database. Wait for one to finish, or cancel one under Jobs, then count again.`,
      );
    }
    const started = context.startJob('users.count', title, async (control) => {
      const result = await countUsersExactly(db, input.search, control);
      return { summary: countSummary(result), result };
    });
    return Promise.resolve(started);
  },
};
