import type { SortKey } from '../../../shared/contract';
import { checked, idMode, parseId, positionMode, type GoToMode } from '../../ui/goToModes';

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
    idMode({ label: 'User ID', noun: 'user id' }),
    {
      id: 'value',
      label: value.label,
      placeholder: value.placeholder,
      inputMode: value.inputMode,
      parse: (text) => {
        if (!text.trim()) return { ok: false, message: value.hint };
        if (sort === 'id') {
          const id = parseId(text, 'user id');
          // Sent as digits: the server reads the value in the id column's terms.
          return id.ok ? checked({ kind: 'value', value: String(id.id) }) : id;
        }
        if (sort === 'created_at' && !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(text.trim())) {
          return { ok: false, message: 'Type a date as 2024-05-31 (a time may follow: 2024-05-31 14:30).' };
        }
        return checked({ kind: 'value', value: text });
      },
    },
    positionMode,
  ];
}
