import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';

export interface EmbeddedCredentials {
  user: string;
  password: string;
}

const FILE_NAME = 'credentials.json';

export function credentialsPath(dataRoot: string): string {
  return path.join(dataRoot, FILE_NAME);
}

/** A new random superuser password, written with mode 0600 before the cluster is created. */
export async function createCredentials(dataRoot: string): Promise<EmbeddedCredentials> {
  const credentials = { user: 'postgres', password: crypto.randomBytes(24).toString('base64url') };
  // 'wx': never overwrite a password an existing cluster still uses.
  await fs.writeFile(credentialsPath(dataRoot), JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });
  return credentials;
}

export async function readCredentials(dataRoot: string): Promise<EmbeddedCredentials> {
  const file = credentialsPath(dataRoot);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'CONNECTION',
      `The embedded database exists but its password file ${file} is missing. Restore that file from a backup, or move the data directory ${dataRoot} aside to start with a new, empty database.`,
      { cause: error },
    );
  }
  const parsed = JSON.parse(text) as Partial<EmbeddedCredentials>;
  if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string') {
    throw new AppError('CONNECTION', `The embedded database's password file ${file} is damaged.`);
  }
  // Tighten permissions if someone loosened them: the file holds a superuser password.
  await fs.chmod(file, 0o600).catch(() => undefined);
  return { user: parsed.user, password: parsed.password };
}
