import { locateTargetSchema, type LocateTarget } from '../../shared/contract';
import { ID_MAX, looksLikePercent, parseIdText, parsePercent, parseWholeNumber } from '../lib/typedNumbers';

/** What a typed value is read as: the target to go to, or what to fix in words. */
export type GoToParse = { ok: true; target: LocateTarget } | { ok: false; message: string };

/** One thing Go to can land on (GoToForm): a row by id, a value of the sort column, a position. */
export interface GoToMode {
  id: string;
  /** In the "Go to" choice: "Product ID", "Row number or %"… */
  label: string;
  placeholder: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  parse: (text: string) => GoToParse;
}

/** Runs the contract's schema on a target, so the message is the one the server would give. */
export function checked(target: LocateTarget): GoToParse {
  const result = locateTargetSchema.safeParse(target);
  return result.success ? { ok: true, target: result.data } : { ok: false, message: result.error.issues[0]?.message ?? 'This value is not valid' };
}

/** An id as typed ("42", "#42", "1,000"), or what to fix in the admin's words ("user id"). */
export function parseId(text: string, noun: string): { ok: true; id: number } | { ok: false; message: string } {
  const id = parseIdText(text);
  if (id === null || id === 0) return { ok: false, message: `Type a ${noun}: a whole number, 1 or more.` };
  if (id > ID_MAX) return { ok: false, message: `A ${noun} is between 1 and ${ID_MAX.toLocaleString('en-US')}.` };
  return { ok: true, id };
}

/** "User ID" / "Product ID": one row by its id. */
export function idMode({ label, noun }: { label: string; noun: string }): GoToMode {
  return {
    id: 'id',
    label,
    placeholder: 'e.g. 42',
    inputMode: 'numeric',
    parse: (text) => {
      const id = parseId(text, noun);
      return id.ok ? checked({ kind: 'id', id: id.id }) : id;
    },
  };
}

/**
 * A position in the order: a row number ("500000", "500,000") or a share of the way through
 * ("50%", "12.5 %"). One field for both, as an admin would say it.
 */
export function parsePosition(text: string): GoToParse {
  if (looksLikePercent(text)) {
    const percent = parsePercent(text, { signRequired: true });
    if (percent === null) return { ok: false, message: 'A percentage goes from 0% (the first row) to 100% (the last), e.g. 50% or 12.5%.' };
    return checked({ kind: 'fraction', fraction: percent / 100 });
  }
  const row = parseWholeNumber(text);
  if (row === null || row === 0) return { ok: false, message: 'Type a row number (1 or more, e.g. 500000) or a percentage (e.g. 50%).' };
  return checked({ kind: 'row', row });
}

/** "Row number or %": the same on every list. */
export const positionMode: GoToMode = {
  id: 'position',
  label: 'Row number or %',
  placeholder: 'e.g. 500000 or 50%',
  parse: parsePosition,
};
