import { api } from '../../lib/api';
import { productsWritten } from '../products/countsAfterWrites';
import { useShownProductsTotal } from '../products/ProductsTotal';
import { productSelection, useProductsStore } from '../products/productsStore';
import { ExportButton } from './ExportButton';
import { ImportButton } from './ImportButton';
import { exportLabel } from './transferText';

interface ProductsTransferProps {
  /** "A user…" is picked but no user yet: the list shows nothing, so there is nothing to export. */
  choosingOwner: boolean;
  readOnlyReasonId?: string | undefined;
}

/**
 * Export and Import on the Products screen. Export takes exactly what the list shows: its search,
 * match mode, owner filter, sort and direction.
 */
export function ProductsTransfer({ choosingOwner, readOnlyReasonId }: ProductsTransferProps) {
  const search = useProductsStore((s) => s.search);
  const filters = useProductsStore((s) => s.filters);
  const sort = useProductsStore((s) => s.sort);
  const direction = useProductsStore((s) => s.direction);
  const { total } = useShownProductsTotal();
  const narrowed = search !== '' || filters.owner.kind !== 'any';
  return (
    <>
      {!choosingOwner && (
        <ExportButton
          table="products"
          what={exportLabel('products', total, narrowed)}
          start={(destination) =>
            api.products.export({ search, ...productSelection(filters), sort, direction, ...(destination ? { destination } : {}) })
          }
        />
      )}
      <ImportButton
        table="products"
        readOnlyReasonId={readOnlyReasonId}
        start={(source, mode) => api.products.import({ source, mode: mode === 'update' ? 'skip' : mode })}
        onImported={() => {
          // Counts of products, and of users filtered by what they own, may be wrong now.
          productsWritten();
          void useProductsStore.getState().refresh();
        }}
      />
    </>
  );
}
