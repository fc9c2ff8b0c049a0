import { z } from 'zod';
import { INT4_MAX, NO_CONTROL_CHARACTERS } from './common';
import { jobStartedSchema } from './jobs';

// Limits an admin can rely on. PostgreSQL's columns are unbounded (the seed says VARCHAR), so the
// app sets sane ceilings: 254 is the longest deliverable address (RFC 5321 path limit).
export const EMAIL_MAX = 254;
export const NAME_MAX = 200;
export const SEARCH_MAX = 200;
export const PAGE_SIZES = [25, 50, 100] as const;

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

export const userListInputSchema = z
  .object({
    pageSize: z.literal(PAGE_SIZES, { error: `Page size must be one of ${PAGE_SIZES.join(', ')}` }).default(25),
    sort: sortKeySchema.default('id'),
    direction: sortDirectionSchema.default('asc'),
    search: searchSchema,
    /** Opaque keyset cursor from a previous page's `nextCursor`; absent for the first page. */
    after: z.string().max(2000).nullish(),
  })
  .strict();
export type UserListInput = z.input<typeof userListInputSchema>;

export const totalSchema = z.object({ count: z.number().int(), estimated: z.boolean() });
export type Total = z.infer<typeof totalSchema>;

export const userListOutputSchema = z.object({
  rows: z.array(userSchema),
  nextCursor: z.string().nullable(),
  total: totalSchema,
});
export type UserListOutput = z.infer<typeof userListOutputSchema>;

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
export const userCountInputSchema = z.object({ search: searchSchema }).strict();
export const userCountResultSchema = z.object({ count: z.number().int(), search: z.string() });
export type UserCountResult = z.infer<typeof userCountResultSchema>;

export const usersContract = {
  'users.list': { input: userListInputSchema, output: userListOutputSchema },
  'users.get': { input: userGetInputSchema, output: userDetailSchema },
  'users.create': { input: userCreateInputSchema, output: userSchema },
  'users.update': { input: userUpdateInputSchema, output: userSchema },
  'users.delete': { input: userDeleteInputSchema, output: userDeleteOutputSchema },
  'users.count': { input: userCountInputSchema, output: jobStartedSchema },
};
