import type { FeatureHandlers } from '../api/context';
import { startCountJob } from '../lists/count-jobs';
import { countProductsExactly, productCountSummary, productCountTitle } from './count';
import { listProducts, locateProduct, productSelection } from './list';
import { createProductService } from './service';

export const productHandlers: FeatureHandlers<
  'products.list' | 'products.locate' | 'products.get' | 'products.create' | 'products.update' | 'products.delete' | 'products.count'
> = {
  'products.list': (input, { connection }) => listProducts(connection.db, input),
  'products.locate': (input, { connection }) => locateProduct(connection.db, input),
  'products.get': (input, { connection }) => createProductService(connection.db).get(input.id),
  'products.create': (input, { connection }) => createProductService(connection.db).create(input),
  'products.update': (input, { connection }) => createProductService(connection.db).update(input),
  'products.delete': (input, { connection }) => createProductService(connection.db).remove(input.id),
  'products.count': (input, context) => {
    const { db } = context.connection;
    // A malformed id search is refused now, not as a failed job.
    productSelection(input);
    return Promise.resolve(
      startCountJob(context, 'products.count', productCountTitle(input), async (control) => {
        const result = await countProductsExactly(db, input, control);
        return { summary: productCountSummary(result.count, input), result };
      }),
    );
  },
};
