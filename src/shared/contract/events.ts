import { z } from 'zod';
import { jobSchema } from './jobs';

/**
 * What the main process tells the window without being asked. One discriminated union, sent on
 * one IPC channel (Electron) or as server-sent events on GET /events (browser mode).
 */
export const appEventSchema = z.discriminatedUnion('type', [
  /** A running job moved on (throttled: at most 10 a second per job). */
  z.object({ type: z.literal('job.progress'), job: jobSchema }),
  /** A job ended: succeeded, failed or cancelled. */
  z.object({ type: z.literal('job.finished'), job: jobSchema }),
  /** Sent first to every page that subscribes: the jobs running now and the recent ones. */
  z.object({ type: z.literal('jobs.snapshot'), jobs: z.array(jobSchema) }),
  /** A connection opened, was lost, came back or closed. */
  z.object({
    type: z.literal('connection.state'),
    connectionId: z.string(),
    state: z.enum(['open', 'lost', 'closed']),
    message: z.string().optional(),
  }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
