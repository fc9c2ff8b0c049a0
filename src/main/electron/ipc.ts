import { ipcMain } from 'electron';
import type { Dispatch } from '../api/dispatch';
import { IPC_CALL_CHANNEL } from '../../shared/ipc';
import { RENDERER_URL } from './app-origin';
import { isTrustedSender } from './sender-check';

/** Every renderer call arrives here; only our own page's main frame is served. */
export function registerIpc(dispatch: Dispatch): void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, procedure: unknown, input: unknown, meta: unknown) => {
    const frame = event.senderFrame;
    // A main frame has no parent; comparing WebFrameMain objects by identity is not guaranteed.
    if (!isTrustedSender({ frameUrl: frame?.url, isMainFrame: !!frame && frame.parent === null }, RENDERER_URL)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the Simple DB window.' } };
    }
    const connectionId = (meta as { connectionId?: unknown } | null | undefined)?.connectionId;
    return dispatch(procedure, input, typeof connectionId === 'string' ? { connectionId } : {});
  });
}
