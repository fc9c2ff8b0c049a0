import crypto from 'node:crypto';
import type { Job, JobProgress, JobStarted } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { AppError } from '../errors/app-error';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log/logger';
import { throttle } from './throttle';

/** What a job's work gets: the signal that says stop, and a way to report how far it is. */
export interface JobControl {
  signal: AbortSignal;
  /** Throttled to at most one event per PROGRESS_INTERVAL_MS; the newest value always arrives. */
  progress: (progress: JobProgress) => void;
}

/** A job's work. It must stop promptly when `signal` aborts and clean up what it started. */
export type JobRun = (control: JobControl) => Promise<{ summary: string; result?: unknown }>;

export interface JobSpec {
  kind: string;
  title: string;
  connectionId: string;
  run: JobRun;
  /** Turns whatever the work threw into the contract's error, with a hint for its connection. */
  translate: (error: unknown) => ApiError;
}

/** ≤ 10 progress events a second per job, as the contract promises. */
const PROGRESS_INTERVAL_MS = 100;
/** Finished jobs kept for jobs.list and for pages that connect later. */
const KEEP_FINISHED = 50;
/** How long jobs.cancel waits for a job to wind down before answering with its current state. */
const CANCEL_WAIT_MS = 10_000;

interface Entry {
  job: Job;
  controller: AbortController;
  settled: Promise<void>;
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

/**
 * Long work: `start` answers `{ jobId }` at once and runs the work in the background; progress and
 * the end go out as events; `cancel` aborts the work's signal. A job ends `succeeded`, `failed`
 * (with the translated error) or `cancelled`, and only once.
 */
export class JobRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {}

  start(spec: JobSpec): JobStarted {
    const id = crypto.randomUUID();
    const controller = new AbortController();
    const job: Job = {
      id,
      kind: spec.kind,
      title: spec.title,
      connectionId: spec.connectionId,
      state: 'running',
      progress: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      summary: null,
      error: null,
    };
    const progress = throttle<JobProgress>(
      (value) => {
        if (job.state !== 'running') return;
        job.progress = value;
        this.bus.emit({ type: 'job.progress', job: { ...job } });
        // The start event below is a job.progress too: it counts against the rate.
      },
      PROGRESS_INTERVAL_MS,
      Date.now(),
    );

    const finish = (changes: Partial<Job>) => {
      progress.flush();
      Object.assign(job, changes, { finishedAt: new Date().toISOString() });
      this.bus.emit({ type: 'job.finished', job: { ...job } });
      this.log(`job ${spec.kind} ${id} ${job.state}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}`);
      this.prune();
    };

    const settled = (async () => {
      // Let `start` return the id before anything can be reported about it.
      await Promise.resolve();
      try {
        controller.signal.throwIfAborted();
        const outcome = await spec.run({ signal: controller.signal, progress: (value) => progress.push(value) });
        finish({ state: 'succeeded', summary: outcome.summary, ...(outcome.result !== undefined ? { result: outcome.result } : {}) });
      } catch (error) {
        if (controller.signal.aborted || isAbort(error)) finish({ state: 'cancelled' });
        else finish({ state: 'failed', error: spec.translate(error) });
      }
    })();
    this.entries.set(id, { job, controller, settled });
    this.log(`job ${spec.kind} ${id} started: ${spec.title}`);
    this.bus.emit({ type: 'job.progress', job: { ...job } });
    return { jobId: id };
  }

  /** Running jobs first, then the most recent finished ones. */
  list(): Job[] {
    const jobs = [...this.entries.values()].map((entry) => ({ ...entry.job }));
    return jobs.sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || b.startedAt.localeCompare(a.startedAt));
  }

  get(id: string): Job {
    return { ...this.entry(id).job };
  }

  /** Settles with the job once it has ended, however it ended. */
  async finished(id: string): Promise<Job> {
    const entry = this.entry(id);
    await entry.settled;
    return { ...entry.job };
  }

  /** Asks the job to stop and waits (a while) for it to clean up; cancelling a finished job is a no-op. */
  async cancel(id: string): Promise<Job> {
    const entry = this.entry(id);
    if (entry.job.state === 'running') {
      entry.controller.abort(new DOMException('Cancelled by the admin', 'AbortError'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([entry.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return { ...entry.job };
  }

  /** On quit: stop every running job and wait for each to clean up. */
  async cancelAll(): Promise<void> {
    const running = [...this.entries.values()].filter((entry) => entry.job.state === 'running');
    for (const entry of running) entry.controller.abort(new DOMException('Simple DB is quitting', 'AbortError'));
    await Promise.all(running.map((entry) => entry.settled));
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry)
      throw new AppError('NOT_FOUND', `There is no job ${id} (finished jobs are kept until Simple DB restarts, the last ${KEEP_FINISHED} of them).`, {
        field: 'id',
      });
    return entry;
  }

  private prune(): void {
    const finished = [...this.entries.values()].filter((entry) => entry.job.state !== 'running');
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.entries.delete(entry.job.id);
  }
}
