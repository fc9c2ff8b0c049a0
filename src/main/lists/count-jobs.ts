import type { HandlerContext } from '../api/context';
import { AppError } from '../errors/app-error';
import type { JobRun } from '../jobs/registry';
import type { JobStarted } from '../../shared/contract';

/**
 * Each count holds one of the pool's ten connections while it runs: a few at once (users' and
 * products' together) leave the rest for the screens, so the app never stalls behind its own counts.
 */
export const MAX_RUNNING_COUNTS = 3;
const COUNT_KINDS = new Set(['users.count', 'products.count']);

/**
 * Starts a "Count exactly" job on the caller's connection, or follows the same count already
 * running (by its title) rather than count twice.
 */
export function startCountJob(context: HandlerContext, kind: 'users.count' | 'products.count', title: string, run: JobRun): JobStarted {
  const running = context.services.jobs
    .list()
    .filter((job) => job.state === 'running' && COUNT_KINDS.has(job.kind) && job.connectionId === context.connection.id);
  const same = running.find((job) => job.kind === kind && job.title === title);
  if (same) return { jobId: same.id };
  if (running.length >= MAX_RUNNING_COUNTS) {
    throw new AppError(
      'CONFLICT',
      `${MAX_RUNNING_COUNTS} counts are already running on this database. Wait for one to finish, or cancel one under Jobs, then count again.`,
    );
  }
  return context.startJob(kind, title, run);
}
