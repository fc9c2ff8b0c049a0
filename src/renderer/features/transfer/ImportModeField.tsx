import { useId } from 'react';
import type { ImportMode } from '../../../shared/contract';
import { MODE_CHOICES, type TransferTable } from './transferText';

interface ImportModeFieldProps {
  table: TransferTable;
  mode: ImportMode;
  onChange: (mode: ImportMode) => void;
}

/** What happens to bad lines (and, for users, to emails already in the table): one radio each, explained in a line. */
export function ImportModeField({ table, mode, onChange }: ImportModeFieldProps) {
  const name = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">When importing</legend>
      {MODE_CHOICES[table].map((choice) => (
        <div key={choice.mode} className="transfer-mode">
          <label className="check">
            <input
              type="radio"
              name={name}
              checked={mode === choice.mode}
              aria-describedby={`${name}-${choice.mode}`}
              onChange={() => onChange(choice.mode)}
            />
            {choice.label}
          </label>
          <p id={`${name}-${choice.mode}`} className="field-hint">
            {choice.explanation}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
