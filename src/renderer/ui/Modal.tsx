import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

interface ModalProps {
  title: string;
  /** Escape (or the browser closing the dialog itself) asks the owner to close it. */
  onDismiss: () => void;
  /** While a call is in flight Escape is ignored, so "cancel" never hides a write that still lands. */
  busy?: boolean;
  /** Where focus goes on open; defaults to the first field or button. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/**
 * A modal on the native <dialog>: `showModal()` gives the focus trap, the inert page behind and
 * Escape for free. Mounted only while open; on unmount focus goes back to whatever opened it.
 */
export function Modal({ title, onDismiss, busy = false, initialFocusRef, children }: ModalProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onDismissRef = useRef(onDismiss);
  const busyRef = useRef(busy);
  useEffect(() => {
    onDismissRef.current = onDismiss;
    busyRef.current = busy;
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = initialFocusRef?.current ?? dialog.querySelector<HTMLElement>('input, select, textarea, button:not([disabled])');
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
    // Runs once per opening: the dialog is mounted only while open (and a ref object never changes).
  }, [initialFocusRef]);

  return (
    <dialog
      ref={dialogRef}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busyRef.current) onDismissRef.current();
      }}
      onClose={() => {
        // Chromium closes a dialog itself on a repeated Escape even if `cancel` was prevented.
        // (A close we caused ourselves happens after unmount, or is followed by a re-open in
        // StrictMode, so the dialog is open again by then.)
        const dialog = dialogRef.current;
        if (!dialog || dialog.open) return;
        if (busyRef.current) {
          // A save or delete is still in flight: stay open so its outcome (or error) is seen.
          dialog.showModal();
          dialog.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
          return;
        }
        onDismissRef.current();
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
