import { useEffect, useState, type FormEvent } from 'react';
import type { InstalledToolInfo, ProcedureOutput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { DisclosureSection } from '../../ui/DisclosureSection';
import { ErrorAlert } from '../../ui/ErrorAlert';

type Tools = ProcedureOutput<'backups.tools'>;
type ToolName = InstalledToolInfo['name'];

const TOOL_NAMES: readonly ToolName[] = ['pg_dump', 'pg_restore', 'psql'];

const SOURCE_LABELS: Record<InstalledToolInfo['source'], string> = {
  setting: 'your path',
  path: 'found on PATH',
  folder: 'found in a PostgreSQL folder',
};

type Paths = Record<ToolName, string>;

function pathsOf(tools: Tools): Paths {
  return { pg_dump: tools.paths.pg_dump ?? '', pg_restore: tools.paths.pg_restore ?? '', psql: tools.paths.psql ?? '' };
}

/**
 * "Client tools", collapsed until asked for: which pg_dump, pg_restore and psql Simple DB uses for
 * this server (or why none fits), every copy it found, and a path of the admin's own for each.
 */
export function ToolsPanel() {
  return <DisclosureSection title="Client tools">{() => <ToolsDetails />}</DisclosureSection>;
}

function ToolsDetails() {
  const [tools, setTools] = useState<Tools | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [paths, setPaths] = useState<Paths>({ pg_dump: '', pg_restore: '', psql: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ToolName, string>>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    api.backups
      .tools({})
      .then((answer) => {
        if (!current) return;
        setTools(answer);
        setPaths(pathsOf(answer));
        setError(null);
      })
      .catch((caught: unknown) => {
        if (current) setError(toApiError(caught));
      });
    return () => {
      current = false;
    };
  }, [attempt]);

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving || !tools) return;
    // Only what changed: an error then names the one path that is wrong.
    const changed: Partial<Record<ToolName, string | null>> = {};
    for (const name of TOOL_NAMES) {
      const value = paths[name].trim();
      if (value !== (tools.paths[name] ?? '')) changed[name] = value === '' ? null : value;
    }
    setSaved(false);
    setFieldErrors({});
    if (Object.keys(changed).length === 0) {
      setSaved(true);
      return;
    }
    setSaving(true);
    try {
      const answer = await api.backups.tools({ paths: changed });
      setTools(answer);
      setPaths(pathsOf(answer));
      setSaved(true);
    } catch (caught) {
      const apiError = toApiError(caught);
      const field = /^paths\.(pg_dump|pg_restore|psql)$/.exec(apiError.field ?? '')?.[1] as ToolName | undefined;
      if (field) setFieldErrors({ [field]: apiError.message });
      else setError(apiError);
    } finally {
      setSaving(false);
    }
  }

  if (!tools) {
    return error ? (
      <ErrorAlert title="Could not look for the client tools" message={error.message} onRetry={() => setAttempt((n) => n + 1)} />
    ) : (
      <p id="backups-tools" role="status" className="muted">
        Looking for pg_dump, pg_restore and psql…
      </p>
    );
  }

  return (
    <div id="backups-tools" className="panel">
      <p>The connected server is PostgreSQL {tools.serverMajor}. Backups and restores need client tools of that version or newer.</p>
      <table className="compact-table" aria-label="Client tools in use">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">In use</th>
            <th scope="col">Version</th>
          </tr>
        </thead>
        <tbody>
          {TOOL_NAMES.map((name) => {
            const chosen = tools.chosen[name];
            return (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{chosen ? <code>{chosen.path}</code> : <span className="error-text">None usable</span>}</td>
                <td>{chosen ? `${chosen.version} (${SOURCE_LABELS[chosen.source]})` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {tools.problems.length > 0 && (
        <ul className="problem-list">
          {tools.problems.map((problem) => (
            <li key={problem} className="problem problem-blocking">
              {problem}
            </li>
          ))}
        </ul>
      )}
      <h4 className="subsection-title">Installed copies found</h4>
      {tools.installed.length === 0 ? (
        <p className="muted">None found on PATH or in the usual PostgreSQL folders.</p>
      ) : (
        <ul className="plain-list">
          {tools.installed.map((tool) => (
            <li key={`${tool.name}:${tool.path}`}>
              {tool.name} {tool.version}: <code>{tool.path}</code> <span className="muted">({SOURCE_LABELS[tool.source]})</span>
            </li>
          ))}
        </ul>
      )}
      <form className="form" noValidate onSubmit={(event) => void save(event)}>
        <h4 className="subsection-title">Your own paths</h4>
        <p className="muted">A full path to the program overrides what Simple DB found. Leave a field empty to let it choose.</p>
        {TOOL_NAMES.map((name) => (
          <div key={name} className="field">
            <label htmlFor={`tool-path-${name}`} className="field-label">
              Own {name} path
            </label>
            <input
              id={`tool-path-${name}`}
              type="text"
              className="input"
              value={paths[name]}
              autoComplete="off"
              spellCheck={false}
              readOnly={saving}
              aria-invalid={fieldErrors[name] ? true : undefined}
              aria-describedby={fieldErrors[name] ? `tool-path-${name}-error` : undefined}
              onChange={(event) => {
                setPaths((current) => ({ ...current, [name]: event.target.value }));
                setFieldErrors((current) => ({ ...current, [name]: undefined }));
                setSaved(false);
              }}
            />
            {fieldErrors[name] && (
              <p id={`tool-path-${name}-error`} className="field-error">
                {fieldErrors[name]}
              </p>
            )}
          </div>
        ))}
        {error && <ErrorAlert message={error.message} />}
        <div className="form-row">
          <button type="submit" className="button" aria-disabled={saving || undefined}>
            Save paths
          </button>
          <span role="status" className="muted">
            {saving ? 'Checking the programs…' : saved ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </div>
  );
}
