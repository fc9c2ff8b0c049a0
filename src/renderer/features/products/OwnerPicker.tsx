import { useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import { SEARCH_MAX } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ID_MAX, parseIdText } from '../../lib/typedNumbers';
import type { OwnerSummary } from './productsStore';

/** One page of users per search: the picker works the same on ten users or a million. */
const PAGE_SIZE = 25;
/** Typing pauses shorter than this do not ask the database. */
const SEARCH_DEBOUNCE_MS = 200;

interface OwnerPickerProps {
  /** Base for ids: the input is `<id>-input`, its list `<id>-listbox`, its error `<id>-error`. */
  id: string;
  label: string;
  /** The user chosen, or null for none. */
  value: OwnerSummary | null;
  onChange: (owner: OwnerSummary | null) => void;
  /** Offer "No owner" as the first choice (a product may have none; a filter by user may not). */
  allowNone?: boolean;
  error?: string | null;
  /** A line under the field that says more, tied to it as part of its description. */
  hint?: ReactNode;
  inputRef?: Ref<HTMLInputElement>;
  /** For a form around the picker: settles text typed but not chosen before the form is sent. */
  handleRef?: Ref<OwnerPickerHandle>;
  readOnly?: boolean;
}

/** What a form asks of the picker on submit. */
export interface OwnerPickerHandle {
  /**
   * The owner the field stands for now. Text typed but not chosen from the list is settled: an
   * empty field is "no one", an exact email or #id that names exactly one user chooses that user,
   * and anything else is refused with the message to show at the field (the text is kept).
   */
  settle: () => Promise<{ ok: true; owner: OwnerSummary | null } | { ok: false; message: string }>;
}

type Choice = { kind: 'none' } | { kind: 'user'; user: OwnerSummary };

type Results =
  | { state: 'idle' }
  | { state: 'searching'; search: string }
  | { state: 'done'; search: string; users: OwnerSummary[]; more: boolean }
  | { state: 'failed'; search: string; error: ApiError };

/**
 * "#123" (or "#1,000", read as Go to and the ID search read ids: lib/typedNumbers) is an id; the
 * "#" is needed here, since plain digits may be part of an email or a name.
 */
function typedId(search: string): string | null {
  if (!search.startsWith('#')) return null;
  const id = parseIdText(search);
  return id !== null && id > 0 && id <= ID_MAX ? String(id) : null;
}

/** "#123" is an id; anything else is looked for in emails and names. */
function searchInput(search: string): { search: string; match: 'contains' | 'id' } {
  const id = typedId(search);
  return id ? { search: id, match: 'id' } : { search, match: 'contains' };
}

/** Typed text that can name exactly one user: "#123" or a whole email. Null for anything else. */
function exactInput(search: string): { search: string; match: 'id' | 'email' } | null {
  const id = typedId(search);
  if (id) return { search: id, match: 'id' };
  return /^[^\s@]+@[^\s@]+$/.test(search) ? { search, match: 'email' } : null;
}

/**
 * Chooses a user by typing part of their email or name (or #id): a combobox (the ARIA 1.2 pattern)
 * whose list holds one page of `users.list` for what is typed, never every user. Arrow keys move
 * through the list, Enter chooses, Escape closes it (without closing the dialog around it).
 * Answers that arrive after a newer search are dropped, so the list always matches the text.
 */
export function OwnerPicker({ id, label, value, onChange, allowNone = false, error, hint, inputRef, handleRef, readOnly = false }: OwnerPickerProps) {
  // What the admin typed; null while the field shows the chosen user.
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Results>({ state: 'idle' });
  const [active, setActive] = useState(-1);
  const requestSeq = useRef(0);
  const listRef = useRef<HTMLUListElement>(null);
  // A mouse button is down somewhere in the page (see onBlur).
  const pointerDown = useRef(false);

  const inputId = `${id}-input`;
  const listboxId = `${id}-listbox`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const search = (typed ?? '').trim();

  const users = results.state === 'done' && results.search === search ? results.users : [];
  const choices: Choice[] = [...(allowNone ? [{ kind: 'none' } as const] : []), ...users.map((user) => ({ kind: 'user' as const, user }))];

  // Ask for one page of matches, once typing pauses; a later keystroke or closing cancels it.
  useEffect(() => {
    if (!open) return;
    const seq = ++requestSeq.current;
    const timer = setTimeout(() => {
      setResults({ state: 'searching', search });
      api.users
        .list({ ...searchInput(search), pageSize: PAGE_SIZE, withTotal: false })
        .then((page) => {
          if (seq !== requestSeq.current) return;
          setResults({
            state: 'done',
            search,
            users: page.rows.map(({ id: userId, email, name }) => ({ id: userId, email, name })),
            more: page.nextCursor !== null,
          });
          // With something typed, the best match is ready for Enter (the list's automatic selection);
          // with nothing typed, Enter keeps what is chosen.
          setActive(search && page.rows.length > 0 ? (allowNone ? 1 : 0) : -1);
        })
        .catch((caught: unknown) => {
          if (seq === requestSeq.current) setResults({ state: 'failed', search, error: toApiError(caught) });
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [open, search, allowNone]);

  // An answer still in flight when the picker goes away must not set state.
  useEffect(
    () => () => {
      requestSeq.current++;
    },
    [],
  );

  const activeId = open && active >= 0 && active < choices.length ? optionId(active) : undefined;
  // Keep the active option in view as the arrow keys move through a list longer than its box.
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  function close(): void {
    requestSeq.current++;
    setOpen(false);
    setActive(-1);
  }

  function choose(choice: Choice): void {
    close();
    setTyped(null);
    onChange(choice.kind === 'none' ? null : choice.user);
  }

  useImperativeHandle(
    handleRef,
    () => ({
      settle: async () => {
        if (typed === null) return { ok: true, owner: value };
        const text = typed.trim();
        // An emptied field says "no one": what the form shows is what it saves.
        if (text === '') {
          choose({ kind: 'none' });
          return { ok: true, owner: null };
        }
        const refused = allowNone
          ? 'Choose the owner from the list, or clear the field for no owner.'
          : 'Choose the user from the list: type part of their email or name, then pick them.';
        const exact = exactInput(text);
        if (!exact) return { ok: false, message: refused };
        try {
          const page = await api.users.list({ ...exact, pageSize: PAGE_SIZE, withTotal: false });
          const [only, ...others] = page.rows;
          // Only a text that names one user for certain is taken as the choice; anything else is the admin's to pick.
          if (!only || others.length > 0) return { ok: false, message: refused };
          const user = { id: only.id, email: only.email, name: only.name };
          choose({ kind: 'user', user });
          return { ok: true, owner: user };
        } catch (caught) {
          return { ok: false, message: `Could not look up “${text}”: ${toApiError(caught).message}` };
        }
      },
    }),
    // choose() only closes the list and calls onChange: the latest render's is the one to use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [typed, value, allowNone, onChange],
  );

  // While the list is open, know whether a mouse button is down, so a blur caused by pressing one
  // elsewhere can wait for the click to land (see onBlur).
  useEffect(() => {
    if (!open) return;
    const down = () => (pointerDown.current = true);
    const up = () => (pointerDown.current = false);
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('pointerup', up, true);
    window.addEventListener('pointercancel', up, true);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', up, true);
    };
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (readOnly) return;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else setActive((current) => Math.min(current + 1, choices.length - 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (open) setActive((current) => Math.max(current - 1, 0));
        break;
      case 'Enter': {
        // Enter picks from the open list, and then must not also submit the form around it. With
        // no option active it is the form's Enter: the list closes and the form settles the text.
        if (!open) break;
        const choice = choices[active];
        if (choice) {
          event.preventDefault();
          choose(choice);
        } else close();
        break;
      }
      case 'Escape':
        // The first Escape closes the list (or drops what was typed), not the dialog around it.
        if (open || typed !== null) {
          event.preventDefault();
          event.stopPropagation();
          close();
          setTyped(null);
        }
        break;
      case 'Tab':
        // Leaving keeps what was typed: the form settles it (or says what is missing) on Save.
        close();
        break;
    }
  }

  // Words about another search than the one typed (the picker opened again on a new text, a search
  // still waiting for its debounce) would describe options that are not shown: say nothing until it answers.
  const status = open
    ? results.state !== 'idle' && results.search !== search
      ? ''
      : statusText(results)
    : search && typed !== null
      ? 'Not chosen yet: pick the user from the list.'
      : '';
  const chosenText = value ? `Chosen: ${value.email} (${value.name}), user #${value.id}.` : allowNone ? 'No owner chosen.' : 'No user chosen.';
  const describedBy = [error ? `${id}-error` : null, `${id}-chosen`, hint ? `${id}-hint` : null].filter(Boolean).join(' ');

  return (
    <div className="field owner-picker">
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <div className="combobox">
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          role="combobox"
          aria-expanded={open}
          aria-controls={listboxId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          value={typed ?? value?.email ?? ''}
          placeholder={allowNone ? 'No owner: type an email, a name or #id' : 'Type an email, a name or #id'}
          maxLength={SEARCH_MAX}
          autoComplete="off"
          spellCheck={false}
          readOnly={readOnly}
          onChange={(event) => {
            setTyped(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onClick={() => {
            if (!readOnly && !open) setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            // A click in the list keeps focus here. Leaving the field closes the list but keeps what
            // was typed: erasing it would silently drop the owner the admin meant.
            if (listRef.current?.contains(event.relatedTarget)) return;
            const input = event.currentTarget;
            if (!pointerDown.current) {
              close();
              return;
            }
            // A press elsewhere (Save, Reassign) blurs on mousedown. In a dialog the list takes room in
            // the form, so closing it now would move that button from under the pointer before mouseup
            // and swallow the click: close once the click has landed.
            window.addEventListener(
              'pointerup',
              () =>
                setTimeout(() => {
                  if (document.activeElement !== input) close();
                }, 0),
              { once: true, capture: true },
            );
          }}
        />
        <ul
          ref={listRef}
          id={listboxId}
          role="listbox"
          aria-label={`${label}: matching users`}
          className="combobox-list"
          hidden={!open}
          // Keep focus in the input (the combobox pattern) for a press anywhere in the list, its
          // scrollbar included: a click on an option still chooses, a drag of the scrollbar scrolls.
          onMouseDown={(event) => event.preventDefault()}
        >
          {open &&
            choices.map((choice, index) => (
              <li
                key={choice.kind === 'none' ? 'none' : choice.user.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'combobox-option combobox-option-active' : 'combobox-option'}
                onClick={() => choose(choice)}
              >
                {choice.kind === 'none' ? (
                  <span className="combobox-none">No owner</span>
                ) : (
                  <>
                    <span className="combobox-email">{choice.user.email}</span> <span className="muted">{choice.user.name}</span>{' '}
                    <span className="muted combobox-id">#{choice.user.id}</span>
                  </>
                )}
              </li>
            ))}
        </ul>
      </div>
      {/* Polite, and always present, so each new search's outcome is read once it is known. */}
      <p role="status" className="field-hint combobox-status">
        {status}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <p id={`${id}-chosen`} className="visually-hidden">
        {chosenText}
      </p>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}

/**
 * What the last search found, said once its request is under way or answered: while a keystroke's
 * search waits for the debounce the region is empty (not "Searching users…" on every keystroke,
 * which a screen reader would read out each time).
 */
function statusText(results: Results): string {
  if (results.state === 'idle') return '';
  const { search } = results;
  if (results.state === 'failed') return `Could not search users: ${results.error.message}`;
  if (results.state !== 'done') return 'Searching users…';
  if (results.users.length === 0) return search ? `No users match “${search}”.` : 'There are no users yet.';
  const shown = `${results.users.length} ${results.users.length === 1 ? 'user' : 'users'}`;
  if (results.more) return `${search ? `First ${shown} matching “${search}”` : `First ${shown}`}: type more of an email or name to narrow.`;
  if (!search) return `${shown}.`;
  return `${shown} ${results.users.length === 1 ? 'matches' : 'match'} “${search}”.`;
}
