import { userDeleteManyResultSchema, type Job, type JobProgress, type UserDeleteManyResult } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { countOf, formatNumber } from '../../lib/format/count';
import { followJob } from '../../lib/followJob';

/** How a bulk delete ended, for the dialog to say. */
export type BulkDeleteOutcome =
  | { kind: 'deleted'; result: UserDeleteManyResult }
  | { kind: 'cancelled' }
  /** The selection no longer holds the users previewed: nothing was deleted. */
  | { kind: 'conflict'; message: string }
  | { kind: 'failed'; error: ApiError };

/** Follows a `users.deleteMany` job to its end (its ending said by the dialog and the screen, see followJob). */
export async function followBulkDelete(jobId: string): Promise<BulkDeleteOutcome> {
  return outcomeOf(await followJob(jobId));
}

export function outcomeOf(job: Job): BulkDeleteOutcome {
  if (job.state === 'cancelled') return { kind: 'cancelled' };
  if (job.state === 'succeeded') {
    const result = userDeleteManyResultSchema.safeParse(job.result);
    if (result.success) return { kind: 'deleted', result: result.data };
    return {
      kind: 'failed',
      error: { code: 'INTERNAL', message: 'The delete finished, but its result could not be read. Reload the list to see what is left.' },
    };
  }
  const error = job.error ?? { code: 'INTERNAL', message: 'no reason given' };
  return error.code === 'CONFLICT' ? { kind: 'conflict', message: error.message } : { kind: 'failed', error };
}

/** "Delete 1,234 users? 56 products will lose their owner." */
export function previewQuestion(users: number, productsUnowned: number): string {
  const question = `Delete ${countOf(users, 'user')}?`;
  if (productsUnowned === 0) return `${question} No products will lose their owner.`;
  return `${question} ${countOf(productsUnowned, 'product')} will lose their owner.`;
}

/** "Deleted 1,234 users; 56 products no longer have an owner." */
export function deletedText({ deleted, productsUnowned }: UserDeleteManyResult): string {
  const what = `Deleted ${countOf(deleted, 'user')}`;
  if (productsUnowned === 0) return `${what}.`;
  return `${what}; ${countOf(productsUnowned, 'product')} ${productsUnowned === 1 ? 'no longer has' : 'no longer have'} an owner.`;
}

/** "Deleting users · 4,000 of 12,000 ids": what a running delete is doing. */
export function progressLine(progress: JobProgress | null): string {
  if (!progress) return 'Starting…';
  const amount =
    progress.total === null
      ? progress.done > 0
        ? `${formatNumber(progress.done)} ${progress.unit}`
        : null
      : `${formatNumber(progress.done)} of ${formatNumber(progress.total)} ${progress.unit}`;
  return [progress.phase, amount, progress.message ?? null].filter((part): part is string => Boolean(part)).join(' · ');
}
