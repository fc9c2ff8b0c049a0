import type { ImportReport } from '../../shared/contract';
import type { ConnectionTarget } from '../db/target';

/** Imports products from CSV (`name` and `owner_email` or `owner_id`), all or nothing. Being written. */
export function importProductsCsv(
  _target: ConnectionTarget,
  _file: string,
  _options: { mode: 'reject' | 'skip'; signal: AbortSignal; onProgress?: (progress: { rows: number; bytes: number }) => void },
): Promise<ImportReport> {
  return Promise.reject(new Error('products import: being written'));
}
