import { useId, useRef, useState, type FormEvent } from 'react';
import type { LocateTarget } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import type { GoToMode } from './goToModes';

export type { GoToMode, GoToParse } from './goToModes';

interface GoToFormProps {
  /** Names the form ("Go to a product"). */
  label: string;
  modes: readonly GoToMode[];
  /** Finds the page and shows it; resolves to the reason it could not, or null. */
  onGo: (mode: GoToMode, target: LocateTarget) => Promise<ApiError | null>;
  /** What the last jump found ("Product #42 is on this page"), said politely after it. */
  outcome?: string | null;
}

/**
 * "Go to" over a keyset list: a row by id, a value of the sort column, or a position. Keyset pages
 * cannot be counted through, so this is how an admin reaches row 500,000 of a million in one step.
 * A value that cannot be a target is refused here, at the field, before any request.
 */
export function GoToForm({ label, modes, onGo, outcome }: GoToFormProps) {
  const id = useId();
  const [modeId, setModeId] = useState(modes[0]?.id ?? '');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Each refusal is a new alert, so the same words said again are heard again.
  const [refusals, setRefusals] = useState(0);
  const [going, setGoing] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const mode = modes.find((candidate) => candidate.id === modeId) ?? modes[0];
  if (!mode) return null;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (going || !mode) return;
    const parsed = mode.parse(text);
    if (!parsed.ok) {
      setError(parsed.message);
      setRefusals((count) => count + 1);
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setGoing(true);
    const failed = await onGo(mode, parsed.target);
    setGoing(false);
    if (failed) {
      setError(failed.message);
      setRefusals((count) => count + 1);
      inputRef.current?.focus();
    }
  }

  const errorId = `${id}-error`;
  return (
    <form className="go-to" aria-label={label} noValidate onSubmit={(event) => void submit(event)}>
      <div className="toolbar-field">
        <label htmlFor={`${id}-mode`} className="field-label">
          Go to
        </label>
        <select
          id={`${id}-mode`}
          className="select"
          value={mode.id}
          onChange={(event) => {
            setModeId(event.target.value);
            setError(null);
          }}
        >
          {modes.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.label}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field go-to-value">
        <label htmlFor={`${id}-value`} className="field-label">
          {mode.label}
        </label>
        <input
          ref={inputRef}
          id={`${id}-value`}
          className="input"
          value={text}
          placeholder={mode.placeholder}
          inputMode={mode.inputMode}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setError(null);
          }}
        />
      </div>
      <button type="submit" className="button" aria-disabled={going || undefined}>
        Go
      </button>
      <div className="go-to-messages">
        {/* An alert: Enter in the field leaves focus there, so focusing it again would say nothing. */}
        {error && (
          <p key={refusals} id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
        {/* Always in the page, so a screen reader hears each new outcome in it. */}
        <p role="status" className="muted go-to-outcome">
          {!error && !going ? (outcome ?? '') : ''}
        </p>
      </div>
    </form>
  );
}
