import {
  connectionTestResultSchema,
  testStepSchema,
  type ConnectionTestResult,
  type Job,
  type ProfileDraft,
  type TestStep,
} from '../../../shared/contract';
import { api } from '../../lib/api';
import { useJobsStore } from '../../lib/jobsStore';

export type StepId = TestStep['id'];

/** Each step's name when the progress event gives no words of its own. */
export const STEP_LABELS: Record<StepId, string> = {
  'ssh-jump': 'SSH jump host',
  ssh: 'SSH tunnel',
  connect: 'Reach the server',
  login: 'Log in',
  version: 'Server version',
  ssl: 'Encryption (SSL)',
  schema: 'Simple DB schema',
};

const stepIdSchema = testStepSchema.shape.id;

/** The steps a test of this profile runs, in order (the SSH tunnel's only when it has one). */
export function expectedSteps(profile: Pick<ProfileDraft, 'ssh'>): StepId[] {
  return [...(profile.ssh ? (['ssh'] as const) : []), 'connect', 'login', 'version', 'ssl', 'schema'];
}

/**
 * The steps seen, with the ones before `id` that were never seen (too quick for the throttled
 * progress events) put back as passed: the test reaches a step only when every one before it passed.
 */
function withEarlierPassed(steps: readonly TestStep[], id: StepId, expected: readonly StepId[]): TestStep[] {
  const at = expected.indexOf(id);
  if (at <= 0) return [...steps];
  const missing = expected
    .slice(0, at)
    .filter((earlier) => !steps.some((step) => step.id === earlier))
    .map((earlier): TestStep => ({ id: earlier, label: STEP_LABELS[earlier], state: 'ok' }));
  if (missing.length === 0) return [...steps];
  const order = (step: TestStep) => (expected.includes(step.id) ? expected.indexOf(step.id) : expected.length);
  return [...steps, ...missing].sort((a, b) => order(a) - order(b));
}

/** What a finished test found; null while it runs, or when the job's result is not one. */
export function testResultOf(job: Job): ConnectionTestResult | null {
  const parsed = connectionTestResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The step a progress event names, with its words ("Reaching db:5432: 1.2 ms"), else the step's own name. */
function stepOf(job: Job): { id: StepId; label: string } | null {
  const progress = job.progress;
  if (!progress) return null;
  const id = stepIdSchema.safeParse(progress.phase);
  return id.success ? { id: id.data, label: progress.message?.trim() || STEP_LABELS[id.data] } : null;
}

/**
 * Adds what the job is doing now to the steps seen so far: a new step ends the ones before it (the
 * test moves on only when a step passed). Progress events are throttled, so a quick step may never
 * be seen running; the result lists them all at the end.
 */
export function advanceSteps(steps: readonly TestStep[], job: Job, expected: readonly StepId[] = []): TestStep[] {
  const now = stepOf(job);
  if (!now) return [...steps];
  const last = steps.at(-1);
  if (last?.id === now.id) return [...steps.slice(0, -1), { ...last, label: now.label }];
  const done = steps.map((step) => (step.state === 'running' ? { ...step, state: 'ok' as const } : step));
  return [...withEarlierPassed(done, now.id, expected), { id: now.id, label: now.label, state: 'running' }];
}

/** The steps when the test ended: the result's own list, or the seen ones with the running step failed (or stopped). */
export function finalSteps(steps: readonly TestStep[], job: Job, expected: readonly StepId[] = []): TestStep[] {
  const result = testResultOf(job);
  if (job.state === 'succeeded' && result) return result.steps;
  // The step says where it stopped; why is the job's error, said once (at its field, or under the steps).
  const ending = job.state === 'failed' ? ('failed' as const) : ('skipped' as const);
  const marked = steps.map((step) => (step.state === 'running' ? { ...step, state: ending } : step));
  if (job.state === 'failed' && !marked.some((step) => step.state === 'failed')) {
    // It failed before its step was reported: the step the job last named (else the first) is where it stopped.
    const seen = stepOf(job);
    const id = seen?.id ?? expected[0] ?? 'connect';
    return [...withEarlierPassed(marked, id, expected), { id, label: seen?.label ?? STEP_LABELS[id], state: 'failed' }];
  }
  const stopped = marked.find((step) => step.state === ending);
  return stopped ? withEarlierPassed(marked, stopped.id, expected) : marked;
}

/**
 * Follows a `connections.test` job: `onSteps` is told the steps as they happen, and the promise
 * gives the finished job. The job is listed in the jobs store at once (so it is polled while events
 * are down) but tells no ending toast: the form shows the outcome.
 */
export async function followTest(jobId: string, onSteps: (steps: TestStep[]) => void, expected: readonly StepId[] = []): Promise<Job> {
  const jobs = useJobsStore;
  try {
    jobs.getState().apply({ type: 'job.progress', job: await api.jobs.get({ id: jobId }) });
  } catch {
    // Its events will list it.
  }
  let steps: TestStep[] = [];
  return new Promise((resolve) => {
    const look = (job: Job | undefined): boolean => {
      if (!job) return false;
      if (job.state === 'running') {
        steps = advanceSteps(steps, job, expected);
        onSteps(steps);
        return false;
      }
      onSteps(finalSteps(steps, job, expected));
      resolve(job);
      return true;
    };
    if (look(jobs.getState().jobs[jobId])) return;
    let last: Job | undefined;
    const unsubscribe = jobs.subscribe((state) => {
      const job = state.jobs[jobId];
      if (job === last) return;
      last = job;
      if (look(job)) unsubscribe();
    });
  });
}
