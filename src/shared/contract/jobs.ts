import { z } from 'zod';
import { apiErrorSchema } from '../errors';

const jobStates = ['running', 'succeeded', 'failed', 'cancelled'] as const;
const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;

/** What a job reports while it runs: `done` of `total` (null while unknown) in `unit`. */
const jobProgressSchema = z.object({
  /** What it is doing now, for people: "Counting users", "Dumping table users". */
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  unit: z.enum(['rows', 'bytes', 'tables', 'steps', 'ids', 'blocks']),
  /** A line of detail, e.g. "412 matching so far". */
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobIdSchema = z.string().min(1).max(100);

export const jobSchema = z.object({
  id: jobIdSchema,
  /** The procedure family that started it: 'users.count', later 'backups.create', … */
  kind: z.string(),
  /** For people: "Count users matching “ann”". */
  title: z.string(),
  /** The connection it works on. */
  connectionId: z.string(),
  state: jobStateSchema,
  progress: jobProgressSchema.nullable(),
  /** ISO timestamps. */
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** For a job that succeeded: one sentence saying what happened ("1,204 users"). */
  summary: z.string().nullable(),
  /** For a job that succeeded: its data, shaped per kind (users.count: `{ count }`). */
  result: z.unknown().optional(),
  /** For a job that failed: the translated error. */
  error: apiErrorSchema.nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobStartedSchema = z.object({ jobId: jobIdSchema });
export type JobStarted = z.infer<typeof jobStartedSchema>;

const jobRefSchema = z.object({ id: jobIdSchema }).strict();

export const jobsContract = {
  'jobs.list': { input: z.object({}).strict().default({}), output: z.object({ jobs: z.array(jobSchema) }) },
  'jobs.get': { input: jobRefSchema, output: jobSchema },
  'jobs.cancel': { input: jobRefSchema, output: jobSchema },
};
