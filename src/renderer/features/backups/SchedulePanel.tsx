import { useEffect, useState, type FormEvent } from 'react';
import type { Schedule } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { localTimeText, localTimeWithZoneText, localTimeZone } from './backupFormat';
import { useBackupsStore } from './backupsStore';
import { NumberField } from './NumberField';
import { useScheduleStore } from './scheduleStore';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

type ScheduleField = 'time' | 'keep' | 'weekday' | 'frequency';

interface ScheduleForm {
  enabled: boolean;
  frequency: Schedule['frequency'];
  weekday: number;
  time: string;
  keep: string;
}

function formOf(schedule: Schedule): ScheduleForm {
  return { ...schedule, keep: String(schedule.keep) };
}

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A scheduled run that fell while Simple DB was closed, with Run it now and Dismiss: at the top of
 * the screen, where it is seen before anything else.
 */
export function MissedRunNotice() {
  const missedRunAt = useScheduleStore((s) => s.state?.missedRunAt ?? null);
  const busy = useScheduleStore((s) => s.missedBusy);
  const error = useScheduleStore((s) => s.missedError);
  const resolveMissed = useScheduleStore((s) => s.resolveMissed);
  if (!missedRunAt) return null;
  return (
    <section className="banner banner-warning missed-run" aria-label="Missed scheduled backup">
      <p>
        A scheduled backup due <time dateTime={missedRunAt}>{localTimeWithZoneText(missedRunAt)}</time> was missed while Simple DB was closed.
      </p>
      <div className="form-row">
        <button type="button" className="button button-primary" aria-disabled={busy || undefined} onClick={() => void resolveMissed('run')}>
          Run it now
        </button>
        <button type="button" className="button" aria-disabled={busy || undefined} onClick={() => void resolveMissed('dismiss')}>
          Dismiss
        </button>
      </div>
      {error && <ErrorAlert message={error} />}
    </section>
  );
}

/** Scheduled backups: when, how many to keep, and the next and last runs (read again after each run). */
export function SchedulePanel() {
  const state = useScheduleStore((s) => s.state);
  const version = useScheduleStore((s) => s.version);
  const loadError = useScheduleStore((s) => s.loadError);
  const { load, receive } = useScheduleStore.getState();
  const [form, setForm] = useState<ScheduleForm | null>(null);
  /** The form holds changes not saved yet: a state read again must not overwrite them. */
  const [dirty, setDirty] = useState(false);
  const [formVersion, setFormVersion] = useState(-1);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ScheduleField, string>>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const zone = localTimeZone();

  useEffect(() => {
    void load();
  }, [load]);

  // A new state (first read, a run that ended, a save) fills the form, unless the admin is editing it.
  if (state && version !== formVersion && (!dirty || form === null)) {
    setFormVersion(version);
    setForm(formOf(state.schedule));
  }

  const change = (changes: Partial<ScheduleForm>) => {
    setForm((current) => (current ? { ...current, ...changes } : current));
    setDirty(true);
    setSaved(false);
  };

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving || !form) return;
    useBackupsStore.getState().clearMessages();
    const keep = Number(form.keep);
    if (form.keep.trim() === '' || !Number.isInteger(keep) || keep < 1 || keep > 365) {
      setFieldErrors({ keep: 'Give a whole number from 1 to 365.' });
      return;
    }
    const time = form.time.trim();
    if (!TIME_PATTERN.test(time)) {
      setFieldErrors({ time: 'Give the time as HH:MM (24-hour), e.g. 02:30.' });
      return;
    }
    setFieldErrors({});
    setSaveError(null);
    setSaving(true);
    try {
      const answer = await api.backups['schedule.set']({
        enabled: form.enabled,
        frequency: form.frequency,
        weekday: form.weekday,
        time,
        keep,
      });
      setDirty(false);
      receive(answer);
      setSaved(true);
    } catch (caught) {
      const apiError = toApiError(caught);
      const field = apiError.field as ScheduleField | undefined;
      if (apiError.code === 'VALIDATION' && field && ['time', 'keep', 'weekday', 'frequency'].includes(field))
        setFieldErrors({ [field]: apiError.message });
      else setSaveError(apiError.message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="backups-section" aria-labelledby="backups-schedule-heading">
      <h3 id="backups-schedule-heading" className="section-title">
        Schedule
      </h3>
      {loadError && <ErrorAlert title="Could not read the schedule" message={loadError.message} onRetry={() => void load()} />}
      {!state && !loadError && (
        <p role="status" className="muted">
          Reading the schedule…
        </p>
      )}
      {state && form && (
        <form className="panel schedule-form" noValidate onSubmit={(event) => void save(event)}>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(event) => change({ enabled: event.target.checked })} />
            Back up on a schedule
          </label>
          <div className="options-grid">
            <div className="field">
              <label htmlFor="schedule-frequency" className="field-label">
                How often
              </label>
              <select
                id="schedule-frequency"
                className="select"
                value={form.frequency}
                onChange={(event) => change({ frequency: event.target.value === 'weekly' ? 'weekly' : 'daily' })}
              >
                <option value="daily">Daily</option>
                <option value="weekly">Weekly</option>
              </select>
            </div>
            {form.frequency === 'weekly' && (
              <div className="field">
                <label htmlFor="schedule-weekday" className="field-label">
                  Day of the week
                </label>
                <select
                  id="schedule-weekday"
                  className="select"
                  value={form.weekday}
                  onChange={(event) => change({ weekday: Number(event.target.value) })}
                >
                  {WEEKDAYS.map((day, index) => (
                    <option key={day} value={index}>
                      {day}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field">
              <label htmlFor="schedule-time" className="field-label">
                Time (24-hour, HH:MM)
              </label>
              {/* Text, not type="time": that one shows AM/PM in some locales, and every time here is 24-hour. */}
              <input
                id="schedule-time"
                type="text"
                className="input input-time"
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                maxLength={5}
                placeholder="HH:MM"
                value={form.time}
                aria-invalid={fieldErrors.time ? true : undefined}
                aria-describedby={fieldErrors.time ? 'schedule-time-hint schedule-time-error' : 'schedule-time-hint'}
                onChange={(event) => change({ time: event.target.value })}
              />
              <p id="schedule-time-hint" className="field-hint">
                Local time ({zone})
              </p>
              {fieldErrors.time && (
                <p id="schedule-time-error" className="field-error">
                  {fieldErrors.time}
                </p>
              )}
            </div>
            <NumberField
              id="schedule-keep"
              label="Scheduled backups to keep"
              min={1}
              max={365}
              value={form.keep}
              error={fieldErrors.keep ?? null}
              onChange={(keep) => change({ keep })}
            />
          </div>
          <p className="muted">Older scheduled backups are deleted once a new one is verified. Scheduled backups run while Simple DB is open.</p>
          {saveError && <ErrorAlert message={saveError} />}
          <div className="form-row">
            <button type="submit" className="button" aria-disabled={saving || undefined}>
              Save schedule
            </button>
            <span role="status" className="muted">
              {saving ? 'Saving…' : saved ? 'Schedule saved.' : ''}
            </span>
          </div>
          <dl className="details" aria-label="Schedule runs">
            <dt>Next run</dt>
            <dd>
              {state.nextRunAt ? (
                <time dateTime={state.nextRunAt}>{localTimeWithZoneText(state.nextRunAt)}</time>
              ) : state.schedule.enabled ? (
                'Not planned'
              ) : (
                'Off'
              )}
            </dd>
            <dt>Last run</dt>
            <dd>
              {state.lastRun ? (
                <span className={state.lastRun.state === 'failed' ? 'error-text' : undefined}>
                  <time dateTime={state.lastRun.at}>{localTimeText(state.lastRun.at)}</time>:{' '}
                  {state.lastRun.state === 'succeeded' ? 'succeeded' : 'failed'} — {state.lastRun.message}
                </span>
              ) : (
                'None yet'
              )}
            </dd>
          </dl>
          {state.recentRuns.length > 1 && (
            <details>
              <summary>Recent runs</summary>
              <ul className="run-list">
                {state.recentRuns.map((run) => (
                  <li key={run.at} className={run.state === 'failed' ? 'error-text' : undefined}>
                    <time dateTime={run.at}>{localTimeText(run.at)}</time>: {run.state} — {run.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </form>
      )}
    </section>
  );
}
