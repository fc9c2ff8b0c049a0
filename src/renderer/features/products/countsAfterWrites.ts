import { useExactCountStore } from '../users/exactCount';
import { useUsersStore } from '../users/usersStore';
import { useProductsStore } from './productsStore';
import { useProductsExactCountStore } from './ProductsTotal';

/**
 * "Count exactly" answers one listing as it was. A write on one screen can change the other
 * screen's listing too (who owns which product), so each write forgets the counts it may have made
 * wrong, wherever they are shown; the list's own total, read again, takes their place.
 */

/** A product was created, changed (renamed, reassigned, unassigned) or deleted. */
export function productsWritten(): void {
  useProductsExactCountStore.getState().forget();
  // Users filtered by "Owns some" / "Owns none" may gain or lose members.
  if (useUsersStore.getState().filters.products !== 'any') useExactCountStore.getState().forget();
}

/** Users were deleted: their products lost their owner. */
export function usersDeleted(): void {
  useExactCountStore.getState().forget();
  // Products filtered by owner ("Without an owner", one user's) changed; a listing of every product did not.
  if (useProductsStore.getState().filters.owner.kind !== 'any') useProductsExactCountStore.getState().forget();
}
