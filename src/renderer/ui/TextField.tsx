import type { HTMLAttributes, Ref } from 'react';

interface TextFieldProps {
  /** Base for ids: the input is `<name>-input`, its error `<name>-error`. */
  name: string;
  label: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  readOnly?: boolean;
}

/** A labelled input whose error message is tied to it for assistive technology. */
export function TextField({ name, label, value, error, onChange, inputRef, inputMode, readOnly }: TextFieldProps) {
  const inputId = `${name}-input`;
  const errorId = `${name}-error`;
  return (
    <div className="field">
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <input
        ref={inputRef}
        id={inputId}
        name={name}
        type="text"
        className="input"
        value={value}
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        readOnly={readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
