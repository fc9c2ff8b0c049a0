import { create } from 'zustand';

/** How long a success notice stays: long enough to read, short enough not to pile up. */
const NOTICE_MS = 8000;

interface NoticeState {
  /** `key` changes with every notice so the same text twice is still announced. */
  notice: { key: number; text: string } | null;
  show: (text: string) => void;
  dismiss: () => void;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let nextKey = 1;

export const useNoticeStore = create<NoticeState>()((set) => ({
  notice: null,
  show: (text) => {
    clearTimeout(timer);
    set({ notice: { key: nextKey++, text } });
    timer = setTimeout(() => set({ notice: null }), NOTICE_MS);
  },
  dismiss: () => {
    clearTimeout(timer);
    set({ notice: null });
  },
}));
