import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent, Job } from '../../src/shared/contract';
import { AppError } from '../../src/main/errors/app-error';
import { EventBus } from '../../src/main/events/bus';
import { JobRegistry, type JobControl } from '../../src/main/jobs/registry';
import { throttle } from '../../src/main/jobs/throttle';

function setup() {
  const bus = new EventBus();
  const events: AppEvent[] = [];
  /** When each event went out (Date.now(), which fake timers drive). */
  const sentAt: number[] = [];
  bus.subscribe((event) => {
    events.push(event);
    sentAt.push(Date.now());
  });
  const jobs = new JobRegistry(bus, () => {});
  const finished = (id: string) =>
    new Promise<Job>((resolve) => {
      const done = events.find((e) => e.type === 'job.finished' && e.job.id === id);
      if (done?.type === 'job.finished') return resolve(done.job);
      const stop = bus.subscribe((event) => {
        if (event.type === 'job.finished' && event.job.id === id) {
          stop();
          resolve(event.job);
        }
      });
    });
  const spec = (run: (control: JobControl) => Promise<{ summary: string; result?: unknown }>) => ({
    kind: 'test',
    title: 'A test job',
    connectionId: 'c1',
    run,
    translate: (error: unknown) => ({ code: 'TIMEOUT' as const, message: `translated: ${(error as Error).message}` }),
  });
  return { bus, events, sentAt, jobs, finished, spec };
}

describe('jobs', () => {
  it('start answers with an id at once, before the work has done anything', () => {
    const { jobs, spec } = setup();
    let ran = false;
    const { jobId } = jobs.start(
      spec(async () => {
        ran = true;
        return { summary: 'done' };
      }),
    );
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ran).toBe(false);
    expect(jobs.get(jobId)).toMatchObject({ state: 'running', title: 'A test job', connectionId: 'c1' });
  });

  it('a job that succeeds says so, with its summary and result, once', async () => {
    const { jobs, events, finished, spec } = setup();
    const { jobId } = jobs.start(spec(async () => ({ summary: '3 users in all.', result: { count: 3 } })));
    const job = await finished(jobId);
    expect(job).toMatchObject({ state: 'succeeded', summary: '3 users in all.', result: { count: 3 }, error: null });
    expect(job.finishedAt).not.toBeNull();
    expect(events.filter((e) => e.type === 'job.finished')).toHaveLength(1);
    expect(jobs.list().map((j) => j.id)).toContain(jobId);
  });

  it('a job that fails carries the translated error', async () => {
    const { jobs, finished, spec } = setup();
    const { jobId } = jobs.start(
      spec(async () => {
        throw new Error('boom');
      }),
    );
    expect(await finished(jobId)).toMatchObject({ state: 'failed', error: { code: 'TIMEOUT', message: 'translated: boom' } });
  });

  it('cancel aborts the work, waits for its clean-up, and ends the job cancelled', async () => {
    const { jobs, spec } = setup();
    let cleanedUp = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { jobId } = jobs.start(
      spec(
        ({ signal }) =>
          new Promise((_resolve, reject) => {
            started();
            signal.addEventListener('abort', () => {
              cleanedUp = true;
              reject(signal.reason as Error);
            });
          }),
      ),
    );
    await running;
    const job = await jobs.cancel(jobId);
    expect(job.state).toBe('cancelled');
    expect(cleanedUp).toBe(true);
    // Cancelling again, or a finished job, changes nothing.
    expect((await jobs.cancel(jobId)).state).toBe('cancelled');
  });

  it('an unknown job is NOT_FOUND', () => {
    const { jobs } = setup();
    expect(() => jobs.get('nope')).toThrow(AppError);
    expect(() => jobs.get('nope')).toThrow(/There is no job nope/);
  });

  it('cancelAll stops every running job (quitting the app)', async () => {
    const { jobs, finished, spec } = setup();
    const forever = spec(({ signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    const a = jobs.start(forever).jobId;
    const b = jobs.start(forever).jobId;
    await jobs.cancelAll();
    expect((await finished(a)).state).toBe('cancelled');
    expect((await finished(b)).state).toBe('cancelled');
  });
});

describe('progress throttling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first value at once, folds a burst into one trailing value, and never drops the newest', () => {
    const sent: number[] = [];
    const throttled = throttle<number>((value) => sent.push(value), 100);
    for (let i = 1; i <= 1000; i++) throttled.push(i);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 1000]);
    // A whole second of pushes every millisecond: at most 10 more events.
    for (let ms = 0; ms < 1000; ms++) {
      throttled.push(2000 + ms);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(sent.length - 2).toBeLessThanOrEqual(11);
    expect(sent.at(-1)).toBe(2999);
  });

  it('a job emits at most 10 progress events a second however often it reports', async () => {
    const { jobs, events, sentAt, finished, spec } = setup();
    let report!: (n: number) => void;
    let finish!: () => void;
    const { jobId } = jobs.start(
      spec(
        ({ progress }) =>
          new Promise((resolve) => {
            report = (n) => progress({ phase: 'Working', done: n, total: 1000, unit: 'rows' });
            finish = () => resolve({ summary: 'ok' });
          }),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    for (let ms = 0; ms < 1000; ms++) {
      report(ms + 1);
      await vi.advanceTimersByTimeAsync(1);
    }
    finish();
    await vi.advanceTimersByTimeAsync(0);
    const job = await finished(jobId);
    // The start event counts too: every 1-second window holds at most 10 job.progress events.
    const times = sentAt.filter((_, i) => events[i]?.type === 'job.progress');
    expect(times.length).toBeGreaterThan(5);
    for (const [i, at] of times.entries())
      expect(times.filter((t) => t >= at && t < at + 1000).length, `window from event ${i}`).toBeLessThanOrEqual(10);
    expect(job.progress).toMatchObject({ done: 1000, total: 1000 });
  });
});
