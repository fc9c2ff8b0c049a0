import { useToastStore } from '../lib/toastStore';
import { ToastRegion } from '../ui/Toast';

/** The app's toasts, in the sidebar above the jobs indicator: beside the screen, never over its rows. */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return <ToastRegion toasts={toasts} onDismiss={dismiss} />;
}
