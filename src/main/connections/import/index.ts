import { AppError } from '../../errors/app-error';
import type { ProfileDraft, SecretsInput } from '../../../shared/contract/connections';
import { parsePgAdminServers } from './pgadmin';
import { parsePgServiceFile, readPgServiceFile } from './pg-service';
import { parseSimpleDbExport } from './simple-db';
import { importFromUrl } from './url';

export { importFromUrl } from './url';
export { parsePgServiceFile, pgServiceFilePath, readPgServiceFile } from './pg-service';
export { parsePgAdminServers } from './pgadmin';

/** What `connections.import` answers: profiles to review (nothing is saved), and what was left out and why. */
export type ImportResult = {
  drafts: { profile: ProfileDraft; secrets: SecretsInput }[];
  skipped: { name: string; reason: string }[];
};

export type ImportSource = 'url' | 'pg-service' | 'pgadmin' | 'simple-db';

/**
 * Reads connection profiles from a URL or key=value string, a pg_service.conf (the text given, else
 * the file libpq would read) or a pgAdmin 4 servers.json. Every draft has passed profileDraftSchema;
 * one that did not is in `skipped` with the schema's message.
 */
export async function importProfiles(source: ImportSource, text: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ImportResult> {
  switch (source) {
    case 'url':
      return importFromUrl(text ?? '', env);
    case 'pg-service':
      return text === undefined ? readPgServiceFile(env) : parsePgServiceFile(text, env);
    case 'pgadmin':
      if (text === undefined || !text.trim()) {
        throw new AppError('VALIDATION', 'Choose the servers.json that pgAdmin exported (Tools > Import/Export Servers), or paste its contents.', {
          field: 'text',
        });
      }
      return parsePgAdminServers(text, env);
    case 'simple-db':
      if (text === undefined || !text.trim()) {
        throw new AppError('VALIDATION', 'Choose a file that Simple DB exported (Connections › Export connections).', { field: 'text' });
      }
      return parseSimpleDbExport(text);
  }
}
