import { useRef, useState, type FormEvent } from 'react';
import type { Product } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { OwnerPicker, type OwnerPickerHandle } from './OwnerPicker';
import { placeProductError } from './productFormRules';
import type { OwnerSummary } from './productsStore';
import { productLabel } from './productText';

interface ReassignDialogProps {
  product: Product;
  /** The user it belongs to now. */
  from: OwnerSummary;
  onReassigned: (product: Product) => void;
  /** The product was deleted meanwhile. */
  onGone: () => void;
  onCancel: () => void;
}

/** Gives a product to another user, chosen by typing part of their email or name. */
export function ReassignDialog({ product, from, onReassigned, onGone, onCancel }: ReassignDialogProps) {
  const [owner, setOwner] = useState<OwnerSummary | null>(null);
  const [ownerError, setOwnerError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ownerRef = useRef<HTMLInputElement>(null);
  const pickerRef = useRef<OwnerPickerHandle>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving) return;
    setFormError(null);
    setSaving(true);
    // Text typed but not picked is settled first (an exact email or #id chooses its one user).
    const settled = (await pickerRef.current?.settle()) ?? { ok: true as const, owner };
    setSaving(false);
    if (!settled.ok) {
      setOwnerError(settled.message);
      ownerRef.current?.focus();
      return;
    }
    const chosen = settled.owner;
    if (!chosen) {
      setOwnerError('Choose the user to give this product to: type part of their email or name, then pick them from the list.');
      ownerRef.current?.focus();
      return;
    }
    if (chosen.id === from.id) {
      setOwnerError(`${from.email} already owns this product: choose someone else.`);
      ownerRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      onReassigned(await api.products.update({ id: product.id, ownerId: chosen.id }));
    } catch (error) {
      setSaving(false);
      const apiError = toApiError(error);
      const placed = placeProductError(apiError);
      if (placed?.field === 'ownerId') {
        setOwnerError(placed.message);
        ownerRef.current?.focus();
      } else if (apiError.code === 'NOT_FOUND') {
        onGone();
      } else {
        setFormError(apiError.message);
      }
    }
  }

  return (
    <Modal title="Reassign product" onDismiss={onCancel} busy={saving}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        {formError && <ErrorAlert message={formError} />}
        <p className="modal-lead">
          Give {productLabel(product)} to another user. {from.email} will no longer own it.
        </p>
        <OwnerPicker
          id="reassign-owner"
          label="New owner"
          value={owner}
          error={ownerError}
          inputRef={ownerRef}
          handleRef={pickerRef}
          readOnly={saving}
          onChange={(chosen) => {
            setOwner(chosen);
            setOwnerError(null);
          }}
        />
        <ModalActions busy={saving} onCancel={onCancel} action={{ label: 'Reassign', tone: 'primary', submit: true }} />
        {saving && (
          <p role="status" className="form-progress">
            Saving…
          </p>
        )}
      </form>
    </Modal>
  );
}
