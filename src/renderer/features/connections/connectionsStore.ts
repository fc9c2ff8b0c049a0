import { create } from 'zustand';
import type { AppEvent, ConnectionColor, ConnectionEntry, SecretStorage } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { useAppInfoStore } from '../../lib/appInfoStore';
import { currentConnectionId, useCurrentConnectionStore } from '../../lib/currentConnection';
import { toApiError } from '../../lib/toApiError';

interface ConnectionsState {
  /** Embedded first, then DATABASE_URL, then the saved profiles by name. */
  entries: ConnectionEntry[];
  /** Where saved passwords go; null until the first answer. */
  secretStorage: SecretStorage | null;
  /** False until a list has arrived. */
  loaded: boolean;
  loading: boolean;
  error: ApiError | null;
  load: () => Promise<void>;
  /** An entry the backend answered with (saved, opened, closed): replaces the listed one, or joins the list. */
  receive: (entry: ConnectionEntry) => void;
  /** A deleted profile leaves the list. */
  drop: (id: string) => void;
  /** `connection.state` events keep each entry's state current; an unknown connection reloads the list. */
  applyEvent: (event: AppEvent) => void;
}

const KIND_ORDER = { embedded: 0, url: 1, profile: 2 } as const;

/** The order of the list everywhere (screen, sidebar): embedded, DATABASE_URL, then profiles by name. */
export function sortEntries(entries: readonly ConnectionEntry[]): ConnectionEntry[] {
  return [...entries].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

let requestSeq = 0;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;

/** Every connection the app knows, with its live state. Not reset on a switch: it is the same list in every window. */
export const useConnectionsStore = create<ConnectionsState>()((set, get) => ({
  entries: [],
  secretStorage: null,
  loaded: false,
  loading: false,
  error: null,

  load: async () => {
    const seq = ++requestSeq;
    set({ loading: true, error: null });
    try {
      const { entries, secretStorage } = await api.connections.list();
      if (seq !== requestSeq) return;
      set({ entries: sortEntries(entries), secretStorage, loaded: true, loading: false });
      // A connection this tab remembers that Simple DB no longer has (deleted elsewhere, or a
      // restart forgot it): back to the app's start connection.
      const current = currentConnectionId();
      if (current !== null && !entries.some((entry) => entry.id === current)) useCurrentConnectionStore.getState().forget();
    } catch (error) {
      if (seq === requestSeq) set({ loading: false, error: toApiError(error) });
    }
  },

  receive: (entry) => {
    // A list asked for before this answer would put the old entry back.
    ++requestSeq;
    const others = get().entries.filter((known) => known.id !== entry.id);
    set({ entries: sortEntries([...others, entry]), loading: false });
  },

  drop: (id) => {
    ++requestSeq;
    set({ entries: get().entries.filter((entry) => entry.id !== id), loading: false });
  },

  applyEvent: (event) => {
    if (event.type !== 'connection.state') return;
    const { entries } = get();
    if (!entries.some((entry) => entry.id === event.connectionId)) {
      // A connection opened elsewhere (another window, a restart): read the list again, once per burst.
      if (get().loaded) {
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(() => void get().load(), 200);
      }
      return;
    }
    set({
      entries: entries.map((entry) => (entry.id === event.connectionId ? { ...entry, state: event.state, message: event.message } : entry)),
    });
  },
}));

/** The entry of the connection this window shows (undefined until both are known). */
export function findEntry(entries: readonly ConnectionEntry[], id: string | null | undefined): ConnectionEntry | undefined {
  return id ? entries.find((entry) => entry.id === id) : undefined;
}

/** The connection the app started on (DATABASE_URL, else the embedded database): where a window goes back to. */
export function startEntry(entries: readonly ConnectionEntry[]): ConnectionEntry | undefined {
  return entries.find((entry) => entry.kind === 'url') ?? entries.find((entry) => entry.kind === 'embedded');
}

/**
 * The entry of the connection this window shows: by the window's choice, else by what app info
 * names. Undefined until the list has it (the shell then falls back to app info alone).
 */
export function useCurrentEntry(): ConnectionEntry | undefined {
  const entries = useConnectionsStore((s) => s.entries);
  const chosen = useCurrentConnectionStore((s) => s.id);
  const reported = useAppInfoStore((s) => s.info?.database.id);
  return findEntry(entries, chosen ?? reported);
}

/** What the shell says about the window's connection, whichever of app info and the list has it first. */
export interface CurrentConnectionView {
  /** The profile's name, "Embedded PostgreSQL", "DATABASE_URL"; null while neither source has answered. */
  name: string | null;
  color: ConnectionColor;
  readOnly: boolean;
  /** From the event stream, else the list; `open` until told otherwise. */
  state: ConnectionEntry['state'];
  message: string | undefined;
  entry: ConnectionEntry | undefined;
}

/** The connection this window shows, for the sidebar, the status bar, the title and the read-only checks. */
export function useCurrentConnectionView(): CurrentConnectionView {
  const entry = useCurrentEntry();
  const database = useAppInfoStore((s) => s.info?.database);
  const live = useAppInfoStore((s) => s.connection);
  return {
    name: entry?.name ?? database?.label ?? null,
    color: entry?.color ?? database?.color ?? 'none',
    readOnly: entry?.readOnly ?? database?.readOnly ?? false,
    state: live?.state ?? entry?.state ?? 'open',
    message: live ? live.message : entry?.message,
    entry,
  };
}
