interface NumberFieldProps {
  id: string;
  label: string;
  min: number;
  max: number;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
}

/** A labelled whole-number input whose error is tied to it. */
export function NumberField({ id, label, min, max, value, error, onChange }: NumberFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        type="number"
        className="input input-number"
        min={min}
        max={max}
        step={1}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
