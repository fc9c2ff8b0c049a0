import type { FeatureHandlers } from '../api/context';
import { runTimeBoxed } from '../db/prepared';
import { startCountJob } from '../lists/count-jobs';
import { countSummary, countTitle, countUsersExactly } from './count';
import { changedSelection, deleteManySummary, deleteManyTitle, deleteUsers } from './delete-many';
import { userSelection } from './selection';
import { createUserService, selectedUsersStatement } from './service';

/** How long users.deleteMany may spend checking the selection before it starts the job (which checks anyway). */
const PRE_CHECK_BUDGET_MS = 150;

export const userHandlers: FeatureHandlers<
  | 'users.list'
  | 'users.get'
  | 'users.create'
  | 'users.update'
  | 'users.delete'
  | 'users.count'
  | 'users.locate'
  | 'users.deletePreview'
  | 'users.deleteMany'
> = {
  'users.list': (input, { connection }) => createUserService(connection.db).list(input),
  'users.get': (input, { connection }) => createUserService(connection.db).get(input),
  'users.create': (input, { connection }) => createUserService(connection.db).create(input),
  'users.update': (input, { connection }) => createUserService(connection.db).update(input),
  'users.delete': (input, { connection }) => createUserService(connection.db).remove(input.id),
  'users.locate': (input, { connection }) => createUserService(connection.db).locate(input),
  'users.deletePreview': (input, { connection }) => createUserService(connection.db).deletePreview(input.selection),
  'users.count': (input, context) => {
    const { db } = context.connection;
    // A malformed id or domain search is refused now, not as a failed job.
    userSelection(input);
    return Promise.resolve(
      startCountJob(context, 'users.count', countTitle(input), async (control) => {
        const result = await countUsersExactly(db, input, control);
        return { summary: countSummary(result.count, input), result };
      }),
    );
  },
  'users.deleteMany': async ({ selection, expectedUsers }, context) => {
    const { db } = context.connection;
    // A malformed search is refused now (VALIDATION), not as a failed job.
    const check = selectedUsersStatement(selection);
    // Refused at once when the selection already changed since the preview, if that is quick to
    // tell; a count that takes longer (a filter over a million users) is left to the job, so the
    // delete is under way, with its Cancel, at once. Either way the job checks again as it deletes,
    // in its own transaction, and rolls back if the number is not the one reviewed.
    const counted = await runTimeBoxed<{ users: number }>(db, check, PRE_CHECK_BUDGET_MS);
    const now = counted?.[0]?.users;
    if (now !== undefined && now !== expectedUsers) throw changedSelection(now, expectedUsers);
    return context.startJob('users.deleteMany', deleteManyTitle(selection, expectedUsers), async (control) => {
      const result = await deleteUsers(db, selection, expectedUsers, control, { checked: now !== undefined });
      return { summary: deleteManySummary(result), result };
    });
  },
};
