import type { RefObject } from 'react';

interface ModalActionsProps {
  /** While a call is in flight both buttons refuse (Cancel must not hide a write that still lands). */
  busy: boolean;
  onCancel: () => void;
  cancelRef?: RefObject<HTMLButtonElement | null>;
  /** The dialog's own action: a submit button for forms, or a click handler for confirmations. */
  action: { label: string; tone: 'primary' | 'danger'; unavailable?: boolean } & ({ submit: true } | { onClick: () => void });
}

/**
 * The Cancel + action row every dialog ends with. aria-disabled rather than disabled: focus stays
 * put and the buttons keep their names while a call is in flight.
 */
export function ModalActions({ busy, onCancel, cancelRef, action }: ModalActionsProps) {
  const unavailable = busy || action.unavailable;
  return (
    <div className="modal-actions">
      <button
        ref={cancelRef}
        type="button"
        className="button"
        aria-disabled={busy || undefined}
        onClick={() => {
          if (!busy) onCancel();
        }}
      >
        Cancel
      </button>
      <button
        type={'submit' in action ? 'submit' : 'button'}
        className={`button button-${action.tone}`}
        aria-disabled={unavailable || undefined}
        onClick={'onClick' in action ? () => action.onClick() : undefined}
      >
        {action.label}
      </button>
    </div>
  );
}
