export interface ToastItem {
  id: number;
  text: string;
  tone: 'success' | 'info' | 'error';
}

interface ToastRegionProps {
  toasts: readonly ToastItem[];
  onDismiss: (id: number) => void;
}

/**
 * Brief messages ("Deleted …") in the sidebar: they never push the page or the table down, nor
 * cover its rows. Each is announced politely (an error assertively) and can be dismissed.
 */
export function ToastRegion({ toasts, onDismiss }: ToastRegionProps) {
  return (
    <section className="toast-region" aria-label="Notifications">
      {toasts.map((toast) => (
        <Toast key={toast.id} toast={toast} onDismiss={() => onDismiss(toast.id)} />
      ))}
    </section>
  );
}

export function Toast({ toast, onDismiss }: { toast: ToastItem; onDismiss: () => void }) {
  return (
    <div className={`toast toast-${toast.tone}`}>
      <p role={toast.tone === 'error' ? 'alert' : 'status'} className="toast-text">
        {toast.text}
      </p>
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
