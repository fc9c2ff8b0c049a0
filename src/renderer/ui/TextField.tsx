import type { HTMLAttributes, ReactNode, Ref } from 'react';

interface TextFieldProps {
  /** Base for ids: the input is `<name>-input`, its error `<name>-error`, its hint `<name>-hint`. */
  name: string;
  label: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  readOnly?: boolean;
  /** `password` hides what is typed; the default is plain text. */
  type?: 'text' | 'password';
  /** A line under the field that says more (e.g. "a password is saved"), tied to it as its description. */
  hint?: ReactNode;
  placeholder?: string;
  /** What the browser may offer to fill in; off by default. */
  autoComplete?: string;
  /** Extra class on the wrapper, e.g. a narrow port field. */
  className?: string;
}

/** A labelled input whose hint and error message are tied to it for assistive technology. */
export function TextField({
  name,
  label,
  value,
  error,
  onChange,
  inputRef,
  inputMode,
  readOnly,
  type = 'text',
  hint,
  placeholder,
  autoComplete = 'off',
  className,
}: TextFieldProps) {
  const inputId = `${name}-input`;
  const errorId = `${name}-error`;
  const hintId = `${name}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <input
        ref={inputRef}
        id={inputId}
        name={name}
        type={type}
        className="input"
        value={value}
        inputMode={inputMode}
        autoComplete={autoComplete}
        spellCheck={false}
        readOnly={readOnly}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}
