import type { ChosenFile } from '../../shared/contract';
import type { TransferFiles } from './transfer-files';

/**
 * Browser mode's uploads as the HTTP server takes them (its UploadTarget): written into the
 * uploads folder, each registered as a temporary source, so the import names it by handle and the
 * copy is deleted when the handle is used up, expires, or the app closes.
 */
export function transferUploads(transfer: TransferFiles): { dir: string; accept(file: { path: string; name: string; size: number }): ChosenFile } {
  return {
    dir: transfer.uploadsDir,
    accept: (file) => transfer.handles.register({ ...file, purpose: 'read', temporary: true }),
  };
}
