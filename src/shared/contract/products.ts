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
} from './paging';
import { searchSchema, userIdSchema } from './users';

export const PRODUCT_NAME_MAX = 200;

export const productIdSchema = z
  .number({ error: 'Product id must be a number' })
  .int('Product id must be a whole number')
  .positive('Product id must be positive')
  .max(INT4_MAX, `Product id must be at most ${INT4_MAX.toLocaleString('en-US')} (the largest id the products table can hold)`);

/** The seed's products.name may be NULL (rows written elsewhere); our forms always give one. */
export const productNameSchema = z
  .string({ error: 'Name must be text' })
  .trim()
  .regex(NO_CONTROL_CHARACTERS, 'Name must not contain control characters (tabs, line breaks, NUL)')
  .min(1, 'Name is required')
  .max(PRODUCT_NAME_MAX, `Name must be at most ${PRODUCT_NAME_MAX} characters`);

/** The owner as the screens show it: enough to recognise them and open them. */
export const productOwnerSchema = z.object({ id: z.number().int(), email: z.string(), name: z.string() });

export const productSchema = z.object({
  id: z.number().int(),
  /** Null for rows another tool stored without a name. */
  name: z.string().nullable(),
  /** Null when the product has no owner (never had one, or its owner was deleted). */
  owner: productOwnerSchema.nullable(),
});
export type Product = z.infer<typeof productSchema>;

export const productSortKeys = ['id', 'name'] as const;
export const productSortKeySchema = z.enum(productSortKeys);
export type ProductSortKey = z.infer<typeof productSortKeySchema>;

/** "contains" on the name (any case), or an exact product id. */
export const productMatchSchema = z.enum(['contains', 'id']);

/** Whose products: anyone's, only unowned ones, or one user's (their detail panel). */
export const productOwnerFilterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('any') }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('user'), userId: userIdSchema }).strict(),
]);
export type ProductOwnerFilter = z.infer<typeof productOwnerFilterSchema>;

export const productSelectionFields = {
  search: searchSchema,
  match: productMatchSchema.default('contains'),
  owner: productOwnerFilterSchema.default({ kind: 'any' }),
};

export const productListInputSchema = keysetPagingSchema
  .extend({ sort: productSortKeySchema.default('id'), ...productSelectionFields })
  .strict()
  .refine(oneCursorAtMost, { message: ONE_CURSOR_MESSAGE, path: ['after'] });
export type ProductListInput = z.input<typeof productListInputSchema>;

export const productListOutputSchema = z.object({ rows: z.array(productSchema), ...keysetPageFields });
export type ProductListOutput = z.infer<typeof productListOutputSchema>;

export const productLocateInputSchema = z
  .object({
    sort: productSortKeySchema.default('id'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    ...productSelectionFields,
    target: locateTargetSchema,
    ...locateContextFields,
  })
  .strict();

/** `ownerId: null` creates or makes an unowned product. */
export const productCreateInputSchema = z.object({ name: productNameSchema, ownerId: userIdSchema.nullable().default(null) }).strict();
export type ProductCreateInput = z.input<typeof productCreateInputSchema>;

/** Only the fields given change: `{ id, ownerId: 7 }` reassigns, `{ id, ownerId: null }` unassigns. */
export const productUpdateInputSchema = z
  .object({ id: productIdSchema, name: productNameSchema.optional(), ownerId: userIdSchema.nullable().optional() })
  .strict();
export type ProductUpdateInput = z.input<typeof productUpdateInputSchema>;

/** `products.count` counts exactly, as a job; the job's `result` has this shape (the search it counted, as the list's). */
export const productCountInputSchema = z.object(productSelectionFields).strict();
export const productCountResultSchema = z.object({ count: z.number().int(), search: z.string() });
export type ProductCountResult = z.infer<typeof productCountResultSchema>;

export const productsContract = {
  'products.list': { input: productListInputSchema, output: productListOutputSchema },
  'products.locate': { input: productLocateInputSchema, output: locateOutputSchema },
  'products.get': { input: z.object({ id: productIdSchema }).strict(), output: productSchema },
  'products.create': { input: productCreateInputSchema, output: productSchema },
  'products.update': { input: productUpdateInputSchema, output: productSchema },
  'products.delete': { input: z.object({ id: productIdSchema }).strict(), output: z.object({ id: z.number().int() }) },
  'products.count': { input: productCountInputSchema, output: jobStartedSchema },
};
