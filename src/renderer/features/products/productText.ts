import type { Product, Total } from '../../../shared/contract';
import { totalText } from '../../lib/format/count';

/** `product #12 “Desk lamp”`, or `product #12 (no name)`: how messages and confirmations name a product. */
export function productLabel(product: Pick<Product, 'id' | 'name'>): string {
  return product.name === null ? `product #${product.id} (no name)` : `product #${product.id} “${product.name}”`;
}

/** "12 products", or "about 1,200 products" when the total is the planner's estimate. */
export function productsTotalText(total: Total): string {
  return totalText(total, 'product');
}

/** For a message that starts with a label. */
export function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
