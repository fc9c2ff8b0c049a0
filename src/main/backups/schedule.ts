import type { Schedule } from '../../shared/contract/backups';

/** The scheduled moment on the day of `day` (local time), from the schedule's HH:MM. */
function atTime(day: Date, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const moment = new Date(day);
  moment.setHours(hours, minutes, 0, 0);
  return moment;
}

function isRunDay(schedule: Schedule, day: Date): boolean {
  return schedule.frequency === 'daily' || day.getDay() === schedule.weekday;
}

/** The first run strictly after `after`. */
export function nextRunAfter(schedule: Schedule, after: Date): Date {
  for (let offset = 0; offset <= 8; offset++) {
    const day = new Date(after);
    day.setDate(day.getDate() + offset);
    const moment = atTime(day, schedule.time);
    if (moment > after && isRunDay(schedule, moment)) return moment;
  }
  throw new Error('unreachable: a weekly schedule runs within 8 days');
}

/** The latest run due at or before `now`. */
export function lastDueAtOrBefore(schedule: Schedule, now: Date): Date {
  for (let offset = 0; offset <= 8; offset++) {
    const day = new Date(now);
    day.setDate(day.getDate() - offset);
    const moment = atTime(day, schedule.time);
    if (moment <= now && isRunDay(schedule, moment)) return moment;
  }
  throw new Error('unreachable: a weekly schedule runs within 8 days');
}

/**
 * A run that fell due after `since` (the last run, or when the schedule was set) and before
 * `now` without happening: Simple DB was closed. Only the latest counts; one backup catches up.
 */
export function missedRun(schedule: Schedule, since: Date, now: Date): Date | null {
  if (!schedule.enabled) return null;
  const due = lastDueAtOrBefore(schedule, now);
  return due > since ? due : null;
}

/** Of the scheduled backups (newest first), those beyond the `keep` newest. */
export function beyondRetention<T>(newestFirst: readonly T[], keep: number): T[] {
  return newestFirst.slice(keep);
}
