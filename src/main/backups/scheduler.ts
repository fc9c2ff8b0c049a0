import { scheduleSchema, type Schedule, type ScheduleState } from '../../shared/contract/backups';
import type { SettingsStore } from '../settings/store';
import { beyondRetention, missedRun, nextRunAfter } from './schedule';

/** The passage of time, as the scheduler sees it; tests drive it by hand. */
export interface Clock {
  now(): Date;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Scheduled runs remembered with their outcome. */
const RUNS_KEPT = 20;

/** Wake at least this often: the wall clock can jump (sleep, DST, a changed time zone). */
const MAX_SLEEP_MS = 60 * 60 * 1000;

export interface ScheduledRunner {
  /** Starts one scheduled backup as a job: its id, and its end (rejects with why it failed). */
  backup(): { jobId: string; finished: Promise<{ name: string }> };
  /** The scheduled backups of this database, newest first, to apply retention to. */
  scheduledBackups(): Promise<Array<{ name: string }>>;
  delete(name: string): Promise<void>;
  log(message: string): void;
}

/**
 * Daily or weekly backups while the app is open. Each run lands in the history like any backup;
 * after one verifies, the oldest scheduled ones beyond `keep` are deleted. A run that fell due
 * while the app was closed is reported (not run behind the admin's back) until run or dismissed.
 */
export class BackupScheduler {
  private timer: { cancel(): void } | null = null;
  private missed: Date | null = null;
  private running: { jobId: string; done: Promise<void> } | null = null;
  /** Bumped by every arm() and stop(): an arm() that finds it changed while it read the settings sets no timer. */
  private generation = 0;

  constructor(
    private readonly settings: SettingsStore,
    private readonly runner: ScheduledRunner,
    private readonly clock: Clock = systemClock,
  ) {}

  /** At start: find a missed run, then wait for the next one. */
  async start(): Promise<void> {
    const { backups } = await this.settings.read();
    const schedule = scheduleSchema.parse(backups.schedule ?? {});
    const since = backups.scheduleLastRunAt ? new Date(backups.scheduleLastRunAt) : this.clock.now();
    this.missed = missedRun(schedule, since, this.clock.now());
    if (this.missed) this.runner.log(`scheduled backup missed: it was due ${this.missed.toISOString()} while Simple DB was closed`);
    await this.arm();
  }

  stop(): void {
    this.generation++;
    this.timer?.cancel();
    this.timer = null;
  }

  async state(): Promise<ScheduleState> {
    const { backups } = await this.settings.read();
    const schedule = scheduleSchema.parse(backups.schedule ?? {});
    return {
      schedule,
      nextRunAt: schedule.enabled ? nextRunAfter(schedule, this.clock.now()).toISOString() : null,
      lastRun: backups.scheduleRuns[0] ?? null,
      recentRuns: backups.scheduleRuns,
      missedRunAt: this.missed?.toISOString() ?? null,
    };
  }

  async set(schedule: Schedule): Promise<ScheduleState> {
    // Runs are counted from now: changing the schedule never reports a "missed" run at once.
    await this.settings.update((settings) => {
      settings.backups.schedule = schedule;
      settings.backups.scheduleLastRunAt = this.clock.now().toISOString();
    });
    if (!schedule.enabled) this.missed = null;
    await this.arm();
    return this.state();
  }

  /** Settles when no scheduled run is going (tests, and quitting politely). */
  async whenIdle(): Promise<void> {
    await this.running?.done;
  }

  /** The missed run: take it now (its job id is returned) or forget it. */
  async resolveMissed(action: 'run' | 'dismiss'): Promise<string | null> {
    if (!this.missed) return null;
    this.missed = null;
    if (action === 'dismiss') {
      await this.settings.update((settings) => (settings.backups.scheduleLastRunAt = this.clock.now().toISOString()));
      return null;
    }
    return this.runNow().jobId;
  }

  /** One scheduled run, then retention; a run already going is not started twice. */
  runNow(): { jobId: string; done: Promise<void> } {
    if (this.running) return this.running;
    const at = this.clock.now().toISOString();
    const { jobId, finished } = this.runner.backup();
    const done = this.afterRun(at, finished).finally(() => (this.running = null));
    this.running = { jobId, done };
    return this.running;
  }

  private async afterRun(at: string, finished: Promise<{ name: string }>): Promise<void> {
    await this.settings.update((settings) => (settings.backups.scheduleLastRunAt = at));
    try {
      const { name } = await finished;
      const { backups } = await this.settings.read();
      const keep = scheduleSchema.parse(backups.schedule ?? {}).keep;
      for (const old of beyondRetention(await this.runner.scheduledBackups(), keep)) {
        await this.runner.delete(old.name);
        this.runner.log(`scheduled backup ${old.name} deleted: more than ${keep} kept`);
      }
      await this.record({ at, state: 'succeeded', message: name });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.runner.log(`scheduled backup failed: ${message}`);
      await this.record({ at, state: 'failed', message });
    }
  }

  private async record(run: ScheduleState['recentRuns'][number]): Promise<void> {
    await this.settings.update((settings) => {
      settings.backups.scheduleRuns = [run, ...settings.backups.scheduleRuns].slice(0, RUNS_KEPT);
    });
  }

  /**
   * Waits for the next run (`due`, or the schedule's next one after now), in steps of at most an
   * hour. A step that wakes after `due` (the machine slept through it) runs then, rather than
   * skipping to tomorrow. Only the newest call's timer counts.
   */
  private async arm(due?: Date): Promise<void> {
    const generation = ++this.generation;
    this.timer?.cancel();
    this.timer = null;
    const { backups } = await this.settings.read();
    const schedule = scheduleSchema.parse(backups.schedule ?? {});
    if (!schedule.enabled || generation !== this.generation) return;
    const now = this.clock.now();
    const next = due ?? nextRunAfter(schedule, now);
    const wait = Math.max(0, next.getTime() - now.getTime());
    this.timer = this.clock.setTimer(
      () => {
        this.timer = null;
        if (this.clock.now().getTime() >= next.getTime()) void this.runNow().done.then(() => this.arm());
        else void this.arm(next);
      },
      Math.min(wait, MAX_SLEEP_MS),
    );
  }
}
