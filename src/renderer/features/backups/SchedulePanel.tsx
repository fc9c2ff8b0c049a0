import { api } from '../../lib/api';
import { useEffect, useState, type FormEvent } from 'react';
import type { Schedule, ScheduleState } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { localTimeText } from './backupFormat';
import { useBackupsStore } from './backupsStore';
import { NumberField } from './NumberField';

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

/** Scheduled backups: when, how many to keep, the next and last run, and a run missed while the app was closed. */
export function SchedulePanel() {
  const [state, setState] = useState<ScheduleState | null>(null);
  const [form, setForm] = useState<ScheduleForm | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ScheduleField, string>>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [missedBusy, setMissedBusy] = useState(false);
  const [missedError, setMissedError] = useState<string | null>(null);
  const follow = useBackupsStore((s) => s.follow);

  useEffect(() => {
    let current = true;
    api.backups['schedule.get']({})
      .then((answer) => {
        if (!current) return;
        setState(answer);
        setForm(formOf(answer.schedule));
        setLoadError(null);
      })
      .catch((caught: unknown) => {
        if (current) setLoadError(toApiError(caught));
      });
    return () => {
      current = false;
    };
  }, [attempt]);

  const change = (changes: Partial<ScheduleForm>) => {
    setForm((current) => (current ? { ...current, ...changes } : current));
    setSaved(false);
  };

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving || !form) return;
    const keep = Number(form.keep);
    if (form.keep.trim() === '' || !Number.isInteger(keep) || keep < 1 || keep > 365) {
      setFieldErrors({ keep: 'Give a whole number from 1 to 365.' });
      return;
    }
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(form.time)) {
      setFieldErrors({ time: 'Give the time as HH:MM, e.g. 02:30.' });
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
        time: form.time,
        keep,
      });
      setState(answer);
      setForm(formOf(answer.schedule));
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

  async function resolveMissed(action: 'run' | 'dismiss'): Promise<void> {
    if (missedBusy) return;
    setMissedBusy(true);
    setMissedError(null);
    try {
      const { jobId } = await api.backups['schedule.missed']({ action });
      setState(await api.backups['schedule.get']({}));
      // The run shows where "Back up now" shows its progress, and the history refreshes after it.
      if (jobId) void follow(jobId);
    } catch (caught) {
      setMissedError(toApiError(caught).message);
    } finally {
      setMissedBusy(false);
    }
  }

  return (
    <section className="backups-section" aria-labelledby="backups-schedule-heading">
      <h3 id="backups-schedule-heading" className="section-title">
        Schedule
      </h3>
      {loadError && <ErrorAlert title="Could not read the schedule" message={loadError.message} onRetry={() => setAttempt((n) => n + 1)} />}
      {!state && !loadError && (
        <p role="status" className="muted">
          Reading the schedule…
        </p>
      )}
      {state?.missedRunAt && (
        <div className="banner banner-warning missed-run">
          <p>A scheduled backup due {localTimeText(state.missedRunAt)} was missed while Simple DB was closed.</p>
          <div className="form-row">
            <button type="button" className="button button-primary" aria-disabled={missedBusy || undefined} onClick={() => void resolveMissed('run')}>
              Run it now
            </button>
            <button type="button" className="button" aria-disabled={missedBusy || undefined} onClick={() => void resolveMissed('dismiss')}>
              Dismiss
            </button>
          </div>
          {missedError && <ErrorAlert message={missedError} />}
        </div>
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
                Time
              </label>
              <input
                id="schedule-time"
                type="time"
                className="input"
                value={form.time}
                aria-invalid={fieldErrors.time ? true : undefined}
                aria-describedby={fieldErrors.time ? 'schedule-time-error' : undefined}
                onChange={(event) => change({ time: event.target.value })}
              />
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
          <dl className="details">
            <dt>Next run</dt>
            <dd>{state.nextRunAt ? localTimeText(state.nextRunAt) : state.schedule.enabled ? 'Not planned' : 'Off'}</dd>
            <dt>Last run</dt>
            <dd>
              {state.lastRun ? (
                <span className={state.lastRun.state === 'failed' ? 'error-text' : undefined}>
                  {localTimeText(state.lastRun.at)}: {state.lastRun.state === 'succeeded' ? 'succeeded' : 'failed'} — {state.lastRun.message}
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
                    {localTimeText(run.at)}: {run.state} — {run.message}
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
