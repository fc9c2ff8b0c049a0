import { z } from 'zod';
import type { Profile } from '../../../shared/contract/connections';
import { AppError } from '../../errors/app-error';
import type { ImportResult } from './index';
import { addDraft } from './url';

/** What marks a file as Simple DB's own export of connections. */
const FORMAT = 'simple-db-connections';

const exportSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  connections: z.array(z.unknown()),
});

/**
 * Profiles as a file to share or move to another machine: everything the form holds, never a
 * secret (there is none in a profile) and no ids (the importing side gives its own).
 */
export function exportProfiles(profiles: readonly Profile[], now = new Date()): string {
  const connections = profiles.map(({ id: _id, ...profile }) => profile);
  return `${JSON.stringify({ format: FORMAT, version: 1, exportedAt: now.toISOString(), connections }, null, 2)}\n`;
}

/** Reads a file `exportProfiles` wrote: each connection a draft to review; one that does not fit is skipped with why. */
export function parseSimpleDbExport(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION', `This is not a Simple DB connections file: it is not JSON (${(error as Error).message}).`, { field: 'text' });
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'This is not a Simple DB connections file (Connections › Export writes one): its "format" or "version" is not what Simple DB wrote.',
      {
        field: 'text',
      },
    );
  }
  const result: ImportResult = { drafts: [], skipped: [] };
  for (const connection of parsed.data.connections) {
    // Our own ids never travel: the importing side gives each its own.
    const { id: _id, ...candidate } = connection as Profile;
    addDraft(result, candidate);
  }
  return result;
}
