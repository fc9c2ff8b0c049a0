import { useEffect, useState } from 'react';
import type { BackupOptions, ProcedureOutput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formFromOptions, optionsFromForm, placeOptionsError, type OptionsForm } from './backupOptionsForm';
import { useBackupsStore } from './backupsStore';
import { CommandLine } from './CommandLine';
import { NumberField } from './NumberField';

type Plan = ProcedureOutput<'backups.plan'>;

/** Changes pause this long before the command line is worked out again. */
const PLAN_DEBOUNCE_MS = 300;

const COMPRESSION_LEVELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

interface BackupOptionsPanelProps {
  id: string;
  /** The remembered options, where the form starts. */
  initial: BackupOptions;
}

/**
 * What "Options" opens: every choice pg_dump gets, the exact command line it makes (asked of the
 * backend, so it is the one that runs), and a backup with these options (which are then remembered).
 */
export function BackupOptionsPanel({ id, initial }: BackupOptionsPanelProps) {
  const [form, setForm] = useState<OptionsForm>(() => formFromOptions(initial));
  const busy = useBackupsStore((s) => s.starting || s.backupRunning);
  const backUp = useBackupsStore((s) => s.backUp);
  const checked = optionsFromForm(form);
  // The options as text: the effect below runs when they change, not on every render.
  const key = checked.ok ? JSON.stringify(checked.options) : null;
  const [plan, setPlan] = useState<{ key: string; plan: Plan } | null>(null);
  const [planError, setPlanError] = useState<{ key: string; error: ApiError } | null>(null);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      api.backups
        .plan({ options: JSON.parse(key) as BackupOptions })
        .then((answer) => {
          if (!current) return;
          setPlan({ key, plan: answer });
          setPlanError(null);
        })
        .catch((error: unknown) => {
          if (current) setPlanError({ key, error: toApiError(error) });
        });
    }, PLAN_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  const serverError = planError && planError.key === key ? planError.error : null;
  const placed = serverError ? placeOptionsError(serverError) : null;
  const errors = checked.ok ? (placed ? { [placed.field]: placed.message } : {}) : checked.errors;
  const change = (changes: Partial<OptionsForm>) => setForm((current) => ({ ...current, ...changes }));
  const planStale = plan === null || plan.key !== key;
  const unavailable = busy || !checked.ok || placed !== null;

  return (
    <section id={id} className="panel" aria-label="Backup options">
      <div className="options-grid">
        <div className="field">
          <label htmlFor="backup-format" className="field-label">
            Format
          </label>
          <select
            id="backup-format"
            className="select"
            value={form.format}
            onChange={(event) => change({ format: event.target.value as OptionsForm['format'] })}
          >
            <option value="custom">Custom — recommended</option>
            <option value="plain">Plain SQL</option>
            <option value="directory">Directory</option>
          </select>
        </div>
        {form.format === 'directory' && (
          <NumberField
            id="backup-jobs"
            label="Parallel jobs"
            min={1}
            max={16}
            value={form.jobs}
            error={errors.jobs ?? null}
            onChange={(jobs) => change({ jobs })}
          />
        )}
        {form.format !== 'plain' && (
          <div className="field">
            <label htmlFor="backup-compression" className="field-label">
              Compression level
            </label>
            <select
              id="backup-compression"
              className="select"
              value={form.compression}
              onChange={(event) => change({ compression: event.target.value })}
            >
              <option value="">Default</option>
              {COMPRESSION_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {level === '0' ? '0 — none' : level === '9' ? '9 — smallest, slowest' : level}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="fieldset">
          <legend className="field-label">Content</legend>
          {(
            [
              ['all', 'Everything'],
              ['schema', 'Schema only'],
              ['data', 'Data only'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="backup-content" value={value} checked={form.content === value} onChange={() => change({ content: value })} />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="field">
        <label htmlFor="backup-tables" className="field-label">
          Only these tables (schema.table, one per line)
        </label>
        <textarea
          id="backup-tables"
          className="input textarea"
          rows={3}
          value={form.tables}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.tables ? true : undefined}
          aria-describedby={errors.tables ? 'backup-tables-error backup-tables-hint' : 'backup-tables-hint'}
          onChange={(event) => change({ tables: event.target.value })}
        />
        <p id="backup-tables-hint" className="field-hint">
          Leave empty to back up the whole database.
        </p>
        {errors.tables && (
          <p id="backup-tables-error" className="field-error">
            {errors.tables}
          </p>
        )}
      </div>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={form.noOwner} onChange={(event) => change({ noOwner: event.target.checked })} />
          No owner (--no-owner)
        </label>
        <label className="check">
          <input type="checkbox" checked={form.noPrivileges} onChange={(event) => change({ noPrivileges: event.target.checked })} />
          No privileges (--no-privileges)
        </label>
      </div>
      {serverError && !placed && <ErrorAlert title="Could not work out the command line" message={serverError.message} />}
      {plan && (
        <>
          <p className="muted">
            Writes <code>{plan.plan.file}</code> with {plan.plan.tool.name} {plan.plan.tool.version}.
          </p>
          <CommandLine label="Command line" text={plan.plan.commandLine} stale={planStale} />
        </>
      )}
      {!plan && !serverError && checked.ok && (
        <p role="status" className="muted">
          Working out the command line…
        </p>
      )}
      <div>
        <button
          type="button"
          className="button button-primary"
          aria-disabled={unavailable || undefined}
          onClick={() => {
            if (!unavailable && checked.ok) void backUp(checked.options);
          }}
        >
          Back up with these options
        </button>
      </div>
    </section>
  );
}
