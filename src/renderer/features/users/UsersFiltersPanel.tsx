import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { checkFilters, draftOf, type FilterDraft, type FilterErrors } from './userFilterRules';
import { FILTER_LABELS, PRODUCTS_FILTER_LABELS, type FilterField } from './usersFormat';
import type { UsersListFilters } from './usersStore';

interface UsersFiltersPanelProps {
  id: string;
  /** The filters the list shows now. */
  filters: UsersListFilters;
  /** The server refused one of the applied filters: shown at its field. */
  serverError: { field: FilterField; message: string } | null;
  onApply: (filters: Omit<UsersListFilters, 'match'>) => void;
  onClose: () => void;
}

interface FilterInputProps {
  field: 'createdFrom' | 'createdTo' | 'idFrom' | 'idTo';
  draft: FilterDraft;
  error: string | undefined;
  hint?: string;
  inputRef: RefObject<HTMLInputElement | null>;
  onChange: (field: FilterInputProps['field'], value: string) => void;
}

function inputId(field: FilterField): string {
  return `users-filter-${field}`;
}

/** One labelled filter input whose error (and hint) are its description. */
function FilterInput({ field, draft, error, hint, inputRef, onChange }: FilterInputProps) {
  const id = inputId(field);
  const date = field === 'createdFrom' || field === 'createdTo';
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="field users-filter-field">
      <label htmlFor={id} className="field-label">
        {FILTER_LABELS[field]}
      </label>
      <input
        ref={inputRef}
        id={id}
        // A date picker where the browser has one; its value is always YYYY-MM-DD (or empty).
        type={date ? 'date' : 'text'}
        className="input"
        value={draft[field]}
        inputMode={date ? undefined : 'numeric'}
        placeholder={date ? 'YYYY-MM-DD' : 'e.g. 1000'}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(field, event.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The applied filters without the match mode, to tell when they changed. */
function filtersKey({ match: _match, ...filters }: UsersListFilters): string {
  return JSON.stringify(filters);
}

/**
 * The users filters: created between two days, ids between two numbers, and whether they own
 * products. Typed values are checked with the contract's schemas at each field before they apply
 * (Enter or Apply); the server's own refusal is shown at its field too.
 */
export function UsersFiltersPanel({ id, filters, serverError, onApply, onClose }: UsersFiltersPanelProps) {
  const [draft, setDraft] = useState<FilterDraft>(() => draftOf(filters));
  const [errors, setErrors] = useState<FilterErrors>(() => (serverError ? { [serverError.field]: serverError.message } : {}));
  // The filters applied changed (Apply here, Clear filters in the toolbar): the form shows them.
  // Adjusted while rendering, not by remounting, so the focused button stays; the match mode is
  // how the search reads, so changing it keeps what is typed here.
  const appliedKey = filtersKey(filters);
  const [shownKey, setShownKey] = useState(appliedKey);
  if (appliedKey !== shownKey) {
    setShownKey(appliedKey);
    setDraft(draftOf(filters));
    setErrors({});
  }
  const refs = {
    createdFrom: useRef<HTMLInputElement>(null),
    createdTo: useRef<HTMLInputElement>(null),
    idFrom: useRef<HTMLInputElement>(null),
    idTo: useRef<HTMLInputElement>(null),
  };
  const productsRef = useRef<HTMLSelectElement>(null);
  const shownErrors: FilterErrors = serverError && !errors[serverError.field] ? { ...errors, [serverError.field]: serverError.message } : errors;

  function change(field: keyof FilterDraft, value: string): void {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    // A date input holding a half-typed date reports an empty value: ask for the rest rather
    // than quietly filtering without it.
    const incomplete = new Set<'createdFrom' | 'createdTo'>();
    for (const field of ['createdFrom', 'createdTo'] as const) if (refs[field].current?.validity.badInput) incomplete.add(field);
    const checked = checkFilters(draft, incomplete);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = (['createdFrom', 'createdTo', 'idFrom', 'idTo'] as const).find((field) => checked.errors[field]);
      if (first) refs[first].current?.focus();
      return;
    }
    setErrors({});
    onApply(checked.filters);
  }

  const fields = { draft, onChange: change };
  return (
    <form id={id} className="panel users-filters" aria-label="Filters" noValidate onSubmit={submit}>
      <div className="users-filters-grid">
        <FilterInput field="createdFrom" error={shownErrors.createdFrom} inputRef={refs.createdFrom} {...fields} />
        <FilterInput field="createdTo" error={shownErrors.createdTo} inputRef={refs.createdTo} hint="The whole day is included (UTC)." {...fields} />
        <FilterInput field="idFrom" error={shownErrors.idFrom} inputRef={refs.idFrom} {...fields} />
        <FilterInput field="idTo" error={shownErrors.idTo} inputRef={refs.idTo} {...fields} />
        <div className="field users-filter-field">
          <label htmlFor={inputId('products')} className="field-label">
            {FILTER_LABELS.products}
          </label>
          <select
            ref={productsRef}
            id={inputId('products')}
            className="select"
            value={draft.products}
            aria-invalid={shownErrors.products ? true : undefined}
            aria-describedby={shownErrors.products ? `${inputId('products')}-error` : undefined}
            onChange={(event) => {
              const value = event.target.value;
              if (value === 'any' || value === 'some' || value === 'none') change('products', value);
            }}
          >
            {(['any', 'some', 'none'] as const).map((value) => (
              <option key={value} value={value}>
                {PRODUCTS_FILTER_LABELS[value]}
              </option>
            ))}
          </select>
          {shownErrors.products && (
            <p id={`${inputId('products')}-error`} className="field-error">
              {shownErrors.products}
            </p>
          )}
        </div>
      </div>
      <div className="form-row">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
