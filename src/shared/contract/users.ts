import { z } from 'zod';
import { INT4_MAX, NO_CONTROL_CHARACTERS } from './common';
import { jobStartedSchema } from './jobs';
import {
  keysetPageFields,
  keysetPagingSchema,
  locateContextFields,
  locateOutputSchema,
  locateTargetSchema,
  ONE_CURSOR_MESSAGE,
  oneCursorAtMost,
  PAGE_SIZES,
} from './paging';

// Limits an admin can rely on. PostgreSQL's columns are unbounded (the seed says VARCHAR), so the
// app sets sane ceilings: 254 is the longest deliverable address (RFC 5321 path limit).
export const EMAIL_MAX = 254;
export const NAME_MAX = 200;
export const SEARCH_MAX = 200;
export { PAGE_SIZES };
/** Ids one bulk delete may name; beyond that, delete "all matching" the filter. */
export const DELETE_MANY_MAX_IDS = 10_000;

export const userIdSchema = z
  .number({ error: 'Id must be a number' })
  .int('Id must be a whole number')
  .positive('Id must be positive')
  .max(INT4_MAX, `Id must be at most ${INT4_MAX.toLocaleString('en-US')} (the largest id the users table can hold)`);

export const emailSchema = z
  .string({ error: 'Email must be text' })
  .trim() // first, so a pasted value's trailing newline is trimmed rather than refused
  .regex(NO_CONTROL_CHARACTERS, 'Email must not contain control characters (tabs, line breaks, NUL)')
  .toLowerCase()
  .min(1, 'Email is required')
  .max(EMAIL_MAX, `Email must be at most ${EMAIL_MAX} characters`)
  // Internationalised addresses (jörg@bücher.example) are real addresses (RFC 6531).
  .pipe(z.email({ pattern: z.regexes.unicodeEmail, error: 'Email must look like name@example.com' }));

export const nameSchema = z
  .string({ error: 'Name must be text' })
  .trim() // first, so a pasted value's trailing newline is trimmed rather than refused
  .regex(NO_CONTROL_CHARACTERS, 'Name must not contain control characters (tabs, line breaks, NUL)')
  .min(1, 'Name is required')
  .max(NAME_MAX, `Name must be at most ${NAME_MAX} characters`);

export const searchSchema = z
  .string({ error: 'Search must be text' })
  .trim()
  .regex(NO_CONTROL_CHARACTERS, 'Search must not contain control characters (tabs, line breaks, NUL)')
  .max(SEARCH_MAX, `Search must be at most ${SEARCH_MAX} characters`)
  .default('');

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  /** `timestamp without time zone` as stored (UTC wall time, like the seed's utcnow), ISO form. */
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userDetailSchema = userSchema.extend({
  /** Products that would lose their owner if this user were deleted. */
  productCount: z.number().int(),
});
export type UserDetail = z.infer<typeof userDetailSchema>;

export const sortKeys = ['id', 'email', 'name', 'created_at'] as const;
export const sortKeySchema = z.enum(sortKeys);
export type SortKey = z.infer<typeof sortKeySchema>;
export const sortDirectionSchema = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof sortDirectionSchema>;

/**
 * How the search box's text is matched: "contains" on email or name (as typed, any case), or one
 * exact kind: an id, a whole email, or every email at a domain ("example.com" or "@example.com").
 */
export const userMatchModes = ['contains', 'id', 'email', 'domain'] as const;
export const userMatchSchema = z.enum(userMatchModes);
export type UserMatch = z.infer<typeof userMatchSchema>;

/** A calendar day, YYYY-MM-DD, that exists. */
export const daySchema = z
  .string({ error: 'Date must be text' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date must look like 2024-05-31')
  // JavaScript takes year 0000 (1 BC); PostgreSQL's dates have no year 0 and refuse it.
  .refine((day) => !day.startsWith('0000'), 'Dates start at year 1')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'That date does not exist');

/** The filters beside the search: all optional, all combined with AND. */
export const userFiltersSchema = z
  .object({
    /** Created on or after this day (UTC, like the stored times). */
    createdFrom: daySchema.optional(),
    /** Created on or before this day, the whole day included. */
    createdTo: daySchema.optional(),
    idFrom: userIdSchema.optional(),
    idTo: userIdSchema.optional(),
    /** `some`: owns at least one product; `none`: owns none. */
    products: z.enum(['any', 'some', 'none']).default('any'),
  })
  .strict()
  .refine((f) => !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo, {
    message: 'The “created from” day is after the “created to” day',
    path: ['createdTo'],
  })
  .refine((f) => f.idFrom === undefined || f.idTo === undefined || f.idFrom <= f.idTo, {
    message: '“ID from” is above “ID to”', // the filter fields' own labels (see usersFormat's FILTER_LABELS)
    path: ['idTo'],
  })
  .default({ products: 'any' });
export type UserFilters = z.infer<typeof userFiltersSchema>;
export type UserFiltersInput = z.input<typeof userFiltersSchema>;

/** What a list, a count, a locate or a bulk delete is about: the search box and the filters. */
export const userSelectionFields = {
  search: searchSchema,
  match: userMatchSchema.default('contains'),
  filters: userFiltersSchema,
};

export const userListInputSchema = keysetPagingSchema
  .extend({ sort: sortKeySchema.default('id'), ...userSelectionFields })
  .strict()
  .refine(oneCursorAtMost, { message: ONE_CURSOR_MESSAGE, path: ['after'] });
export type UserListInput = z.input<typeof userListInputSchema>;

export const userListOutputSchema = z.object({ rows: z.array(userSchema), ...keysetPageFields });
export type UserListOutput = z.infer<typeof userListOutputSchema>;

/** Finds where a page should start for an id, a value of the sort column, or a position. */
export const userLocateInputSchema = z
  .object({
    sort: sortKeySchema.default('id'),
    direction: sortDirectionSchema.default('asc'),
    ...userSelectionFields,
    target: locateTargetSchema,
    ...locateContextFields,
  })
  .strict();
export type UserLocateInput = z.input<typeof userLocateInputSchema>;

/** The users a bulk delete is about: ticked rows, or every row matching the search and filters. */
export const userBulkSelectionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('ids'),
      ids: z
        .array(userIdSchema)
        .min(1, 'Select at least one user')
        .max(DELETE_MANY_MAX_IDS, `Select at most ${DELETE_MANY_MAX_IDS.toLocaleString('en-US')} users, or delete all matching the filter`),
    })
    .strict(),
  z.object({ kind: z.literal('matching'), ...userSelectionFields }).strict(),
]);
export type UserBulkSelection = z.input<typeof userBulkSelectionSchema>;

/** What a bulk delete would do, shown before the admin confirms. */
export const userDeletePreviewSchema = z.object({ users: z.number().int(), productsUnowned: z.number().int() });
export type UserDeletePreview = z.infer<typeof userDeletePreviewSchema>;

export const userDeleteManyInputSchema = z
  .object({
    selection: userBulkSelectionSchema,
    /** The preview's user count: if the selection no longer holds exactly that many, nothing is deleted. */
    expectedUsers: z.number().int().nonnegative(),
  })
  .strict();
/** `users.deleteMany` runs as a job (cancellable, all or nothing); its `result` has this shape. */
export const userDeleteManyResultSchema = z.object({ deleted: z.number().int(), productsUnowned: z.number().int() });
export type UserDeleteManyResult = z.infer<typeof userDeleteManyResultSchema>;

export const userGetInputSchema = z
  .object({ id: userIdSchema.optional(), email: emailSchema.optional() })
  .strict()
  .refine((input) => (input.id === undefined) !== (input.email === undefined), { message: 'Give either an id or an email.' });

export const userCreateInputSchema = z.object({ email: emailSchema, name: nameSchema }).strict();
export type UserCreateInput = z.input<typeof userCreateInputSchema>;

export const userUpdateInputSchema = z.object({ id: userIdSchema, email: emailSchema.optional(), name: nameSchema.optional() }).strict();
export type UserUpdateInput = z.input<typeof userUpdateInputSchema>;

export const userDeleteInputSchema = z.object({ id: userIdSchema }).strict();
export const userDeleteOutputSchema = z.object({
  id: z.number().int(),
  /** How many products had this user as owner and now have none. */
  productsUnowned: z.number().int(),
});

/** `users.count` counts exactly, as a job; the job's `result` has this shape. */
export const userCountInputSchema = z.object(userSelectionFields).strict();
export const userCountResultSchema = z.object({ count: z.number().int(), search: z.string() });
export type UserCountResult = z.infer<typeof userCountResultSchema>;

export const usersContract = {
  'users.list': { input: userListInputSchema, output: userListOutputSchema },
  'users.get': { input: userGetInputSchema, output: userDetailSchema },
  'users.create': { input: userCreateInputSchema, output: userSchema },
  'users.update': { input: userUpdateInputSchema, output: userSchema },
  'users.delete': { input: userDeleteInputSchema, output: userDeleteOutputSchema },
  'users.count': { input: userCountInputSchema, output: jobStartedSchema },
  'users.locate': { input: userLocateInputSchema, output: locateOutputSchema },
  'users.deletePreview': { input: z.object({ selection: userBulkSelectionSchema }).strict(), output: userDeletePreviewSchema },
  'users.deleteMany': { input: userDeleteManyInputSchema, output: jobStartedSchema },
};
