import { pathToFileURL } from 'node:url';
import { ipcMain } from 'electron';
import type { Dispatch } from '../api/dispatch';
import { IPC_CHANNEL } from '../../shared/procedures';
import { isTrustedSender } from './sender-check';
import { rendererEntry } from './window';

/** Every renderer call arrives here; only our own page's main frame is served. */
export function registerIpc(dispatch: Dispatch): void {
  const rendererUrl = pathToFileURL(rendererEntry()).href;
  ipcMain.handle(IPC_CHANNEL, async (event, procedure: unknown, input: unknown) => {
    const frame = event.senderFrame;
    // A main frame has no parent; comparing WebFrameMain objects by identity is not guaranteed.
    if (!isTrustedSender({ frameUrl: frame?.url, isMainFrame: !!frame && frame.parent === null }, rendererUrl)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the Simple DB window.' } };
    }
    return dispatch(procedure, input);
  });
}
