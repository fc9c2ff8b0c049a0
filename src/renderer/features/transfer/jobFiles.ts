import { api } from '../../lib/api';
import { startDownload } from '../../lib/download';
import { connection } from '../../lib/transport';

/**
 * The desktop app chooses files with the system's dialogs and can show a file in its folder;
 * a browser uploads what it imports and downloads what it exports.
 */
export const IS_DESKTOP = connection.kind === 'ipc';

/**
 * A finished transfer job's file (the export, or an import's report of bad lines): shown in its
 * folder on the desktop, downloaded through a one-time address in browser mode. Rejects with the
 * call's error.
 */
export async function openJobFile(jobId: string, file: 'export' | 'report', downloadName: string): Promise<void> {
  if (IS_DESKTOP) {
    await api.transfer.reveal({ jobId, file });
    return;
  }
  const { url } = await api.transfer.download({ jobId, file });
  startDownload(url, downloadName);
}
