import type { ProcedureParsedInput, ProductCountResult } from '../../shared/contract';
import type { Database } from '../db/connect';
import type { JobControl } from '../jobs/registry';
import { countExactly, countJobSummary, countJobTitle } from '../lists/exact-count';
import { typedId } from '../lists/typed-id';
import { PRODUCTS, productSelection } from './list';

type CountInput = ProcedureParsedInput<'products.count'>;

/** The search and owner filter in words, for the job's title and summary: ["matching “lamp”", "without an owner"]. */
export function describeProductSelection(input: CountInput): string[] {
  const parts: string[] = [];
  if (input.search) parts.push(input.match === 'id' ? `with id ${typedId(input.search) ?? input.search}` : `matching “${input.search}”`);
  if (input.owner.kind === 'none') parts.push('without an owner');
  if (input.owner.kind === 'user') parts.push(`owned by user #${input.owner.userId}`);
  return parts;
}

/** Counts the products matching the search and owner filter exactly (see countExactly). */
export async function countProductsExactly(db: Database, input: CountInput, control: JobControl): Promise<ProductCountResult> {
  const described = describeProductSelection(input);
  // An id search is one id: walk just that one, not the whole range.
  const id = productSelection(input).keyRanges?.id;
  const count = await countExactly(
    db,
    PRODUCTS,
    {
      select: (values) => productSelection(input, values),
      idFrom: id?.from === undefined ? undefined : Number(id.from),
      idTo: id?.to === undefined ? undefined : Number(id.to),
      phase: described.length ? `Counting products ${described.join(', ')}` : 'Counting products',
    },
    control,
  );
  return { count, search: input.search };
}

/** The job's title, also how a second request for the same count finds the running one. */
export function productCountTitle(input: CountInput): string {
  return countJobTitle(PRODUCTS.noun, describeProductSelection(input));
}

export function productCountSummary(count: number, input: CountInput): string {
  return countJobSummary(count, PRODUCTS.noun, describeProductSelection(input));
}
