/**
 * The two IPC channels between the sandboxed preload and the main process. Kept apart from the
 * contract so the preload bundles no zod: it forwards, and the main process validates.
 */
/** renderer → main: every procedure call (`invoke`). */
export const IPC_CALL_CHANNEL = 'simple-db:call';
/** main → renderer: every event (`webContents.send`). */
export const IPC_EVENT_CHANNEL = 'simple-db:event';

/** Browser mode: the HTTP header that carries the window's current connection (CallMeta.connectionId). */
export const CONNECTION_HEADER = 'x-simple-db-connection';
