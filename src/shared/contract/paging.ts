import { z } from 'zod';
import { NO_CONTROL_CHARACTERS } from './common';

export const PAGE_SIZES = [25, 50, 100] as const;

/**
 * The longest cursor accepted. A cursor carries its row's whole sort key, and other tools may have
 * stored names far longer than our forms allow (a 1,500-character name makes a cursor of over
 * 2,000), so the cap only refuses absurd input: it is far above any key a list index can hold
 * (about 2,700 bytes per entry).
 */
export const CURSOR_MAX = 65_536;

/** A keyset cursor handed out by a previous answer: opaque to the window, checked by the server. */
const cursorSchema = z
  .string({ error: 'The page cursor must be text' })
  .max(CURSOR_MAX, `The page cursor is too long (at most ${CURSOR_MAX.toLocaleString('en-US')} characters). Go back to the first page.`);

/**
 * Where a keyset page starts, never an offset: at the first or last row of the order, just after
 * or just before a row the last page showed (Next, Previous), or at a row `*.locate` found.
 * At most one of `after`, `before` and `at` is given; without any, `from` says which end.
 */
export const keysetPagingSchema = z.object({
  pageSize: z.literal(PAGE_SIZES, { error: `Page size must be one of ${PAGE_SIZES.join(', ')}` }).default(25),
  direction: z.enum(['asc', 'desc']).default('asc'),
  from: z.enum(['first', 'last']).default('first'),
  /** The previous answer's `nextCursor`: the page after it. */
  after: cursorSchema.nullish(),
  /** The previous answer's `previousCursor`: the page before it (the first page when fewer rows precede it). */
  before: cursorSchema.nullish(),
  /** A `*.locate` answer's `cursor`: the page starting at that row. */
  at: cursorSchema.nullish(),
  /**
   * Whether to work out the total. The window asks once per search and filter, not on every
   * page, so Next and Previous are one round trip.
   */
  withTotal: z.boolean().default(true),
});

export function oneCursorAtMost(input: { after?: string | null; before?: string | null; at?: string | null }): boolean {
  return [input.after, input.before, input.at].filter((cursor) => cursor != null).length <= 1;
}
export const ONE_CURSOR_MESSAGE = 'Give at most one of after, before and at.';

/** `estimated` totals are shown as "about N" with a Count exactly action; exact ones as N. */
export const totalSchema = z.object({ count: z.number().int(), estimated: z.boolean() });
export type Total = z.infer<typeof totalSchema>;

export const keysetPageFields = {
  /** Null on the last page. */
  nextCursor: z.string().nullable(),
  /** Null on the first page. */
  previousCursor: z.string().nullable(),
  /** Null when `withTotal` was false. Never fewer than the rows the answer shows. */
  total: totalSchema.nullable(),
  /** When searching cannot use an index here, why (so the admin knows why it is slower). */
  searchNote: z.string().nullable(),
};

const ID_RANGE = 'An id is between 1 and 2,147,483,647.';

/** Where `*.locate` should land. */
export const locateTargetSchema = z.discriminatedUnion('kind', [
  /** A row by its id: the page starts at it, in the current order. */
  z
    .object({
      kind: z.literal('id'),
      // One message for every way out of range: zod's own ("Too big: expected number to be <=2147483647") is not for people.
      id: z.number({ error: 'The id must be a number' }).int('The id must be a whole number').min(1, ID_RANGE).max(2_147_483_647, ID_RANGE),
    })
    .strict(),
  /** A value of the sort column: an email or name prefix, a date (YYYY-MM-DD) or date and time, an id. */
  z
    .object({
      kind: z.literal('value'),
      value: z
        .string()
        .trim() // first, so a pasted value's trailing newline is trimmed rather than refused
        // NUL cannot even be sent to PostgreSQL as text; no other control character is ever meant in a value to go to.
        .regex(NO_CONTROL_CHARACTERS, 'The value to go to must not contain control characters (tabs, line breaks, NUL)')
        .min(1, 'Type a value to go to')
        .max(200, 'The value to go to must be at most 200 characters'),
    })
    .strict(),
  /** A share of the way through the order: 0 is the first row, 1 the last. */
  z.object({ kind: z.literal('fraction'), fraction: z.number().min(0).max(1) }).strict(),
  /** A row number in the order (1 is the first). */
  z
    .object({
      kind: z.literal('row'),
      row: z.number({ error: 'Row must be a number' }).int('Row must be a whole number').positive('Row must be 1 or more'),
    })
    .strict(),
]);
export type LocateTarget = z.infer<typeof locateTargetSchema>;

/**
 * What the window knows of the listing a `*.locate` is about, beside its target: fields of the
 * locate input, all optional (another caller may know none of it).
 */
export const locateContextFields = {
  /**
   * The listing's exact total, when the window knows it (a Count exactly, a small list): positions
   * (a share of the way, a row number) and "past the end" are worked out from it rather than from
   * the planner's estimate, which can be far off for a filter ("about 92,642" for 128,948 rows).
   */
  knownTotal: z.number({ error: 'The known total must be a number' }).int('The known total must be a whole number').nonnegative().optional(),
  /** The page size the landing will be shown in: going to the end (or past it) shows the last full page. */
  pageSize: z.literal(PAGE_SIZES, { error: `Page size must be one of ${PAGE_SIZES.join(', ')}` }).default(25),
};

export const locateOutputSchema = z.object({
  /** Hand to `*.list` as `at`. */
  cursor: z.string(),
  /** The row number the page will start at, as far as it is known. */
  row: z.number().int().nullable(),
  /** True when `row` (or the landing itself, for a position) comes from statistics, not a count. */
  approximate: z.boolean(),
  /** For people: "User #42 is on this page", "Names from “Smi”", "About row 500,000". */
  message: z.string(),
});
export type LocateOutput = z.infer<typeof locateOutputSchema>;
