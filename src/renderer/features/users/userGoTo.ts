import { locateTargetSchema, type LocateTarget, type SortKey } from '../../../shared/contract';
import type { GoToMode, GoToParse } from '../../ui/GoToForm';

/** Runs the contract's schema on a target, so the message is the one the server would give. */
function checked(target: LocateTarget): GoToParse {
  const result = locateTargetSchema.safeParse(target);
  return result.success ? { ok: true, target: result.data } : { ok: false, message: result.error.issues[0]?.message ?? 'This value is not valid' };
}

/** The largest id an integer column holds: beyond it nothing can be found, and the schema's words are not the admin's. */
const ID_MAX = 2_147_483_647;

/** A whole number as typed ("500,000", "500 000" and "500_000" too), or null. */
function wholeNumber(text: string): number | null {
  const digits = text.trim().replace(/[,\s_]/g, '');
  return /^\d{1,16}$/.test(digits) ? Number(digits) : null;
}

/**
 * A position in the order: a row number ("500000", "500,000") or a share of the way through
 * ("50%", "12.5 %"). One field for both, as an admin would say it.
 */
export function parsePosition(text: string): GoToParse {
  const trimmed = text.trim();
  const percent = /^(\d+(?:[.,]\d+)?)\s*%$/.exec(trimmed);
  if (percent?.[1] !== undefined) {
    const share = Number(percent[1].replace(',', '.'));
    if (share > 100) return { ok: false, message: 'A percentage goes from 0% (the first row) to 100% (the last).' };
    return checked({ kind: 'fraction', fraction: share / 100 });
  }
  const row = wholeNumber(trimmed);
  if (row === null || row === 0) return { ok: false, message: 'Type a row number (1 or more, e.g. 500000) or a percentage (e.g. 50%).' };
  return checked({ kind: 'row', row });
}

/** The "value of the sort column" mode: what to type depends on the column the list is sorted by. */
const VALUE_MODES: Record<SortKey, { label: string; placeholder: string; hint: string; inputMode?: GoToMode['inputMode'] }> = {
  id: { label: 'ID at or after', placeholder: 'e.g. 500000', hint: 'Type an id.', inputMode: 'numeric' },
  email: { label: 'Email starting with', placeholder: 'e.g. smith', hint: 'Type the start of an email.' },
  name: { label: 'Name starting with', placeholder: 'e.g. Smi', hint: 'Type the start of a name.' },
  created_at: { label: 'Created on or after', placeholder: 'YYYY-MM-DD', hint: 'Type a date, e.g. 2024-05-31.' },
};

/**
 * Where "Go to" can land in the users list: a user by id, a value of the column the list is
 * sorted by, or a position (row number or percentage). The ids stay the same whatever the sort,
 * so the form keeps the chosen mode when the sort changes.
 */
export function userGoToModes(sort: SortKey): GoToMode[] {
  const value = VALUE_MODES[sort];
  return [
    {
      id: 'id',
      label: 'User ID',
      placeholder: 'e.g. 42',
      inputMode: 'numeric',
      parse: (text) => {
        const id = wholeNumber(text);
        if (id === null || id === 0) return { ok: false, message: 'Type a user id: a whole number, 1 or more.' };
        if (id > ID_MAX) return { ok: false, message: `A user id is between 1 and ${ID_MAX.toLocaleString('en-US')}.` };
        return checked({ kind: 'id', id });
      },
    },
    {
      id: 'value',
      label: value.label,
      placeholder: value.placeholder,
      inputMode: value.inputMode,
      parse: (text) => {
        if (!text.trim()) return { ok: false, message: value.hint };
        if (sort === 'id') {
          const id = wholeNumber(text);
          if (id === null) return { ok: false, message: 'Type an id: a whole number, e.g. 500000.' };
          if (id > ID_MAX) return { ok: false, message: `A user id is between 1 and ${ID_MAX.toLocaleString('en-US')}.` };
          // Sent as digits: the server reads the value in the id column's terms.
          return checked({ kind: 'value', value: String(id) });
        }
        if (sort === 'created_at' && !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(text.trim())) {
          return { ok: false, message: 'Type a date as 2024-05-31 (a time may follow: 2024-05-31 14:30).' };
        }
        return checked({ kind: 'value', value: text });
      },
    },
    {
      id: 'position',
      label: 'Row number or %',
      placeholder: 'e.g. 500000 or 50%',
      parse: parsePosition,
    },
  ];
}
