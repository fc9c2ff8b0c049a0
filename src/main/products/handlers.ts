import type { FeatureHandlers } from '../api/context';
import { listProducts, locateProduct } from './list';
import { createProductService } from './service';

export const productHandlers: FeatureHandlers<
  'products.list' | 'products.locate' | 'products.get' | 'products.create' | 'products.update' | 'products.delete'
> = {
  'products.list': (input, { connection }) => listProducts(connection.db, input),
  'products.locate': (input, { connection }) => locateProduct(connection.db, input),
  'products.get': (input, { connection }) => createProductService(connection.db).get(input.id),
  'products.create': (input, { connection }) => createProductService(connection.db).create(input),
  'products.update': (input, { connection }) => createProductService(connection.db).update(input),
  'products.delete': (input, { connection }) => createProductService(connection.db).remove(input.id),
};
