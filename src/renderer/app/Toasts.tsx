import { useToastStore } from '../lib/toastStore';
import { ToastRegion } from '../ui/Toast';

/** The app's toasts, over the page in a fixed corner. */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return <ToastRegion toasts={toasts} onDismiss={dismiss} />;
}
