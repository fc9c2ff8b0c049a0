import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import { scheduledRunner } from '../../src/main/bootstrap';
import { BackupScheduler, type Clock } from '../../src/main/backups/scheduler';
import type { BackupEntry } from '../../src/shared/contract';
import { tempDataDir } from '../support/backups';
import { call, migratedBackend } from '../support/database';

/** Time as the test says: timers fire when the test moves the clock past them. */
class DrivenClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  constructor(private current: number) {}
  now(): Date {
    return new Date(this.current);
  }
  setTimer(callback: () => void, ms: number) {
    const timer = { at: this.current + ms, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  /** Moves time forward, firing each due timer in order (a fired timer may set the next one). */
  async advanceTo(moment: Date, scheduler: BackupScheduler): Promise<void> {
    for (;;) {
      const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= moment.getTime()).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = due.at;
      due.callback();
      await scheduler.whenIdle();
      // Let the scheduler arm its next timer after the run.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = moment.getTime();
  }
}

let backend: Backend;
let dataDir: string;
beforeAll(async () => {
  dataDir = await tempDataDir();
  backend = (await migratedBackend({ dataDir })).backend;
});
afterAll(async () => {
  await backend?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const scheduledNames = async () =>
  (await call<{ backups: BackupEntry[] }>(backend, 'backups.list')).backups
    .filter((entry) => entry.manifest?.kind === 'scheduled')
    .map((entry) => entry.name);

describe('scheduled backups', () => {
  it('run daily at the chosen time, keep the last N, and a run missed while closed is reported and can be run', async () => {
    const clock = new DrivenClock(new Date(2026, 2, 2, 1, 0).getTime());
    const scheduler = new BackupScheduler(
      backend.services.backups.settings,
      scheduledRunner(backend.services, () => backend.defaultConnection.id),
      clock,
    );
    await scheduler.start();
    const state = await scheduler.set({ enabled: true, frequency: 'daily', time: '02:00', weekday: 0, keep: 2 });
    expect(new Date(state.nextRunAt!).getTime()).toBe(new Date(2026, 2, 2, 2, 0).getTime());
    expect(state.missedRunAt).toBeNull();

    // Three days pass with the app open: three runs; the oldest is deleted once the third verifies.
    await clock.advanceTo(new Date(2026, 2, 2, 1, 59), scheduler);
    expect(await scheduledNames()).toEqual([]);
    await clock.advanceTo(new Date(2026, 2, 4, 3, 0), scheduler);
    const kept = await scheduledNames();
    expect(kept).toHaveLength(2);
    const afterThree = await scheduler.state();
    expect(afterThree.lastRun).toMatchObject({ state: 'succeeded', message: kept[0] });
    expect(afterThree.recentRuns.map((run) => run.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    scheduler.stop();

    // The app is closed for two days; at the next start the missed run is reported, not run silently.
    const later = new DrivenClock(new Date(2026, 2, 6, 9, 0).getTime());
    const restarted = new BackupScheduler(
      backend.services.backups.settings,
      scheduledRunner(backend.services, () => backend.defaultConnection.id),
      later,
    );
    await restarted.start();
    const missed = await restarted.state();
    expect(new Date(missed.missedRunAt!).getTime()).toBe(new Date(2026, 2, 6, 2, 0).getTime());
    expect(await scheduledNames()).toEqual(kept);

    const jobId = await restarted.resolveMissed('run');
    expect(jobId).toEqual(expect.any(String));
    await restarted.whenIdle();
    const job = await backend.services.jobs.finished(jobId!);
    expect(job.state).toBe('succeeded');
    const after = await scheduledNames();
    expect(after).toHaveLength(2);
    expect(after).toContain(kept[0]);
    expect(after).not.toContain(kept[1]);
    expect((await restarted.state()).missedRunAt).toBeNull();

    // A run that fails leaves no backup, but the schedule keeps it with its reason.
    const settings = backend.services.backups.settings;
    const folder = await backend.services.backups.folder();
    await fs.writeFile(path.join(dataDir, 'a-file'), '');
    await settings.update((saved) => (saved.backups.folder = path.join(dataDir, 'a-file', 'backups')));
    await restarted.runNow().done;
    await settings.update((saved) => (saved.backups.folder = folder));
    const runs = (await restarted.state()).recentRuns;
    expect(runs[0]).toMatchObject({ state: 'failed', message: expect.stringContaining('a-file') });
    expect(runs).toHaveLength(5);
    restarted.stop();
  });

  it('weekly runs fall on the chosen weekday, and a bad time is refused naming the field', async () => {
    const clock = new DrivenClock(new Date(2026, 2, 2, 12, 0).getTime()); // a Monday
    const scheduler = new BackupScheduler(
      backend.services.backups.settings,
      scheduledRunner(backend.services, () => backend.defaultConnection.id),
      clock,
    );
    const state = await scheduler.set({ enabled: true, frequency: 'weekly', time: '23:30', weekday: 5, keep: 3 });
    expect(new Date(state.nextRunAt!).getTime()).toBe(new Date(2026, 2, 6, 23, 30).getTime());
    scheduler.stop();
    const bad = await backend.dispatch('backups.schedule.set', { enabled: true, frequency: 'daily', time: '25:00', weekday: 0, keep: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'time' } });
  });
});
