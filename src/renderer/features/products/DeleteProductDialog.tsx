import type { Product } from '../../../shared/contract';
import { api } from '../../lib/api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { productLabel } from './productText';

interface DeleteProductDialogProps {
  product: Product;
  onDeleted: (product: Product) => void;
  /** It was already gone: the list behind the dialog is stale. */
  onGone: (product: Product) => void;
  onCancel: () => void;
}

/** Asks before deleting one product. Nothing points at products, so nothing else changes. */
export function DeleteProductDialog({ product, onDeleted, onGone, onCancel }: DeleteProductDialogProps) {
  return (
    <ConfirmDialog
      title="Delete product"
      action={{ label: 'Delete', tone: 'danger' }}
      busyText="Deleting…"
      run={async () => {
        await api.products.delete({ id: product.id });
        onDeleted(product);
      }}
      onFailed={(error) => {
        // Deleted meanwhile (another window, another tool): what the admin wanted is done.
        if (error.code !== 'NOT_FOUND') return false;
        onGone(product);
        return true;
      }}
      onCancel={onCancel}
    >
      <p>
        Delete {productLabel(product)}
        {product.owner ? `, owned by ${product.owner.email}` : ''}? This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
