import { useRef, useState, type FormEvent } from 'react';
import type { Product, ProductUpdateInput } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';
import { OwnerPicker, type OwnerPickerHandle } from './OwnerPicker';
import { checkProductName, placeProductError, type ProductField, type ProductFieldErrors } from './productFormRules';
import type { OwnerSummary } from './productsStore';

interface ProductFormDialogProps {
  /** The product being edited, or null to create one. */
  product: Product | null;
  /**
   * Creating from a user's products: the owner is this user and is shown, not chosen. Without it
   * the form has an owner picker (with "No owner").
   */
  fixedOwner?: OwnerSummary;
  onSaved: (product: Product, created: boolean) => void;
  onCancel: () => void;
  /** The product being edited was deleted meanwhile: the list behind the dialog is stale. */
  onStale?: () => void;
}

/** Create or edit a product: its name and its owner. Enter saves, Escape cancels. */
export function ProductFormDialog({ product, fixedOwner, onSaved, onCancel, onStale }: ProductFormDialogProps) {
  const [name, setName] = useState(product?.name ?? '');
  const [owner, setOwner] = useState<OwnerSummary | null>(fixedOwner ?? product?.owner ?? null);
  const [errors, setErrors] = useState<ProductFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const ownerRef = useRef<HTMLInputElement>(null);
  const fixedOwnerRef = useRef<HTMLParagraphElement>(null);
  const pickerRef = useRef<OwnerPickerHandle>(null);

  function focusField(field: ProductField): void {
    if (field === 'name') nameRef.current?.focus();
    // A fixed owner has no input: its line takes focus, its error read as its description.
    else (fixedOwner ? fixedOwnerRef : ownerRef).current?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving) return;
    setFormError(null);
    const checked = checkProductName(name, product ? product.name : undefined);
    if (!checked.ok) {
      setErrors({ name: checked.message });
      focusField('name');
      return;
    }
    setErrors({});
    setSaving(true);
    // Text typed in Owner but not picked is settled first: never saved as "no owner" behind the admin's back.
    const settled = fixedOwner ? { ok: true as const, owner } : ((await pickerRef.current?.settle()) ?? { ok: true as const, owner });
    if (!settled.ok) {
      setSaving(false);
      setErrors({ ownerId: settled.message });
      focusField('ownerId');
      return;
    }
    const ownerId = settled.owner?.id ?? null;
    try {
      if (product) {
        // Only what the admin changed is sent: an untouched legacy name is not rewritten, and an
        // owner left as it was is not re-checked against a user someone else just deleted.
        const changes: ProductUpdateInput = { id: product.id };
        if (checked.name !== undefined) changes.name = checked.name;
        if (ownerId !== (product.owner?.id ?? null)) changes.ownerId = ownerId;
        if (changes.name === undefined && changes.ownerId === undefined) {
          onCancel();
          return;
        }
        onSaved(await api.products.update(changes), false);
      } else {
        // Creating always has a name: checkProductName only skips it for a stored product.
        onSaved(await api.products.create({ name: checked.name ?? name, ownerId }), true);
      }
    } catch (error) {
      setSaving(false);
      const apiError = toApiError(error);
      const placed = placeProductError(apiError);
      if (placed) {
        setErrors({ [placed.field]: placed.message });
        focusField(placed.field);
        return;
      }
      if (apiError.code === 'NOT_FOUND') onStale?.();
      setFormError(
        apiError.code === 'NOT_FOUND' && product ? 'This product no longer exists; it may have been deleted elsewhere.' : apiError.message,
      );
    }
  }

  return (
    <Modal title={product ? 'Edit product' : 'New product'} onDismiss={onCancel} busy={saving}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        {formError && <ErrorAlert message={formError} />}
        {product && <p className="modal-lead muted">Product #{product.id}</p>}
        <TextField
          name="product-name"
          label="Name"
          value={name}
          error={errors.name ?? null}
          inputRef={nameRef}
          readOnly={saving}
          placeholder={product && product.name === null ? '(no name)' : undefined}
          hint={product && product.name === null ? 'This product has no name; leave it empty to keep it that way.' : undefined}
          onChange={(value) => {
            setName(value);
            setErrors((current) => ({ ...current, name: undefined }));
          }}
        />
        {fixedOwner ? (
          <div className="field">
            <span className="field-label">Owner</span>
            <p ref={fixedOwnerRef} className="fixed-owner" tabIndex={-1} aria-describedby={errors.ownerId ? 'product-fixed-owner-error' : undefined}>
              {fixedOwner.email} <span className="muted">{fixedOwner.name}</span> <span className="muted">#{fixedOwner.id}</span>
            </p>
            {errors.ownerId && (
              <p id="product-fixed-owner-error" className="field-error" role="alert">
                {errors.ownerId}
              </p>
            )}
          </div>
        ) : (
          <OwnerPicker
            id="product-owner"
            label="Owner"
            value={owner}
            allowNone
            error={errors.ownerId ?? null}
            inputRef={ownerRef}
            handleRef={pickerRef}
            readOnly={saving}
            onChange={(chosen) => {
              setOwner(chosen);
              setErrors((current) => ({ ...current, ownerId: undefined }));
            }}
          />
        )}
        <ModalActions busy={saving} onCancel={onCancel} action={{ label: 'Save', tone: 'primary', submit: true }} />
        {saving && (
          <p role="status" className="form-progress">
            Saving…
          </p>
        )}
      </form>
    </Modal>
  );
}
