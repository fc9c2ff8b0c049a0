import { locateTargetSchema, type LocateTarget } from '../../../shared/contract';
import type { GoToMode, GoToParse } from '../../ui/GoToForm';

/** Runs the contract's schema on a target, so the message is the one the server would give. */
function checked(target: LocateTarget): GoToParse {
  const result = locateTargetSchema.safeParse(target);
  return result.success ? { ok: true, target: result.data } : { ok: false, message: result.error.issues[0]?.message ?? 'This value is not valid' };
}

/** The largest id an integer column holds: beyond it nothing can be found, and the schema's words are not the admin's. */
const ID_MAX = 2_147_483_647;

/** A whole number as typed ("1,000" and "1 000" too), or null. */
function wholeNumber(text: string): number | null {
  const digits = text.trim().replace(/[,\s_]/g, '');
  return /^\d{1,16}$/.test(digits) ? Number(digits) : null;
}

/** Where "Go to" can land in the products list: a product, a name, a row, a share of the way through. */
export const productGoToModes: readonly GoToMode[] = [
  {
    id: 'id',
    label: 'Product ID',
    placeholder: 'e.g. 42',
    inputMode: 'numeric',
    parse: (text) => {
      const id = wholeNumber(text);
      if (id === null || id === 0) return { ok: false, message: 'Type a product id: a whole number, 1 or more.' };
      if (id > ID_MAX) return { ok: false, message: `A product id is between 1 and ${ID_MAX.toLocaleString('en-US')}.` };
      return checked({ kind: 'id', id });
    },
  },
  {
    id: 'name',
    label: 'Name starting with',
    placeholder: 'e.g. Lamp',
    parse: (text) => (text.trim() ? checked({ kind: 'value', value: text }) : { ok: false, message: 'Type the start of a name to go to.' }),
  },
  {
    id: 'row',
    label: 'Row number',
    placeholder: 'e.g. 500000',
    inputMode: 'numeric',
    parse: (text) => {
      const row = wholeNumber(text);
      return row === null || row === 0 ? { ok: false, message: 'Type a row number: a whole number, 1 or more.' } : checked({ kind: 'row', row });
    },
  },
  {
    id: 'percent',
    label: 'Percent through',
    placeholder: '0 to 100',
    inputMode: 'decimal',
    parse: (text) => {
      const percent = Number(text.trim().replace(/%$/, ''));
      if (text.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
        return { ok: false, message: 'Type a percentage from 0 (the first row) to 100 (the last).' };
      }
      return checked({ kind: 'fraction', fraction: percent / 100 });
    },
  },
];
