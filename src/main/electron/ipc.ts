import { pathToFileURL } from 'node:url';
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../api/dispatch';
import { IPC_CHANNEL } from '../../shared/procedures';
import { rendererEntry } from './window';

/** Only our own page's main frame may call: not a subframe, not a page it was navigated to. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return frame.url.split(/[?#]/)[0] === pathToFileURL(rendererEntry()).href;
}

export function registerIpc(dispatch: Dispatch): void {
  ipcMain.handle(IPC_CHANNEL, async (event, procedure: unknown, input: unknown) => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the Simple DB window.' } };
    }
    return dispatch(procedure, input);
  });
}
