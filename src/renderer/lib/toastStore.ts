import { create } from 'zustand';

/** How long a toast stays: long enough to read, short enough not to pile up. */
const TOAST_MS = 8000;
/** More than this at once and the oldest goes. */
const TOASTS_SHOWN = 3;

export type ToastTone = 'success' | 'info' | 'error';

export interface ToastMessage {
  /** New for every toast, so the same text twice is still announced. */
  id: number;
  text: string;
  tone: ToastTone;
}

interface ToastState {
  toasts: ToastMessage[];
  show: (text: string, tone?: ToastTone) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  show: (text, tone = 'success') => {
    const id = nextId++;
    const kept = get().toasts.slice(-(TOASTS_SHOWN - 1));
    for (const dropped of get().toasts.filter((toast) => !kept.includes(toast))) {
      clearTimeout(timers.get(dropped.id));
      timers.delete(dropped.id);
    }
    set({ toasts: [...kept, { id, text, tone }] });
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), TOAST_MS),
    );
  },
  dismiss: (id) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
  },
}));

/** For callers outside React: `toast('Deleted ann@example.com.')`. */
export function toast(text: string, tone?: ToastTone): void {
  useToastStore.getState().show(text, tone);
}
