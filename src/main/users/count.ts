import type { UserCountResult } from '../../shared/contract';
import type { Database } from '../db/connect';
import type { JobControl } from '../jobs/registry';
import { countExactly, countJobSummary, countJobTitle } from '../lists/exact-count';
import { USERS } from './queries';
import { describeSelection, userSelection, type UserSelectionInput } from './selection';

/** Counts the users matching the search and filters exactly (see countExactly). */
export async function countUsersExactly(db: Database, input: UserSelectionInput, control: JobControl): Promise<UserCountResult> {
  const described = describeSelection(input);
  const count = await countExactly(
    db,
    USERS,
    {
      select: (values) => userSelection(input, values),
      idFrom: input.filters.idFrom,
      idTo: input.filters.idTo,
      phase: described.length ? `Counting users ${described.join(', ')}` : 'Counting users',
    },
    control,
  );
  return { count, search: input.search };
}

/** The job's title, also how a second request for the same count finds the running one. */
export function countTitle(input: UserSelectionInput): string {
  return countJobTitle(USERS.noun, describeSelection(input));
}

export function countSummary(count: number, input: UserSelectionInput): string {
  return countJobSummary(count, USERS.noun, describeSelection(input));
}
