import type { ConnectionColor, ConnectionEntry, SecretName, SslMode } from '../../../shared/contract';
import { formatDatabaseAddress } from '../../../shared/database-address';

/** `user@host:port/db`: who logs in where, the way pgAdmin and psql name a connection. */
export function entryAddress(entry: Pick<ConnectionEntry, 'user' | 'host' | 'port' | 'database'>): string {
  const user = entry.user ? `${entry.user}@` : '';
  return `${user}${formatDatabaseAddress(entry.host, entry.port, entry.database)}`;
}

export const COLOR_LABELS: Record<ConnectionColor, string> = {
  none: 'None',
  red: 'Red',
  orange: 'Orange',
  yellow: 'Yellow',
  green: 'Green',
  blue: 'Blue',
  purple: 'Purple',
  grey: 'Grey',
};

export const SSL_MODE_LABELS: Record<SslMode, string> = {
  disable: 'disable — never encrypt',
  allow: 'allow — encrypt only if the server insists',
  prefer: 'prefer — encrypt when the server can (default)',
  require: 'require — always encrypt, do not check the certificate',
  'verify-ca': 'verify-ca — encrypt, check the certificate is signed by the CA',
  'verify-full': 'verify-full — encrypt, check the CA and the host name',
};

/** Modes where libpq checks the server's certificate against a CA file (require too, when one is given: then like verify-ca). */
export function usesRootCert(mode: SslMode): boolean {
  return mode === 'require' || mode === 'verify-ca' || mode === 'verify-full';
}

/** Modes that always encrypt, where a server may ask for a client certificate. */
export function usesClientCert(mode: SslMode): boolean {
  return mode === 'require' || mode === 'verify-ca' || mode === 'verify-full';
}

export const KIND_LABELS: Record<ConnectionEntry['kind'], string> = {
  embedded: 'Embedded database',
  url: 'DATABASE_URL',
  profile: 'Saved connection',
};

export const STATE_LABELS: Record<ConnectionEntry['state'], string> = {
  open: 'Open',
  lost: 'Lost',
  closed: 'Closed',
};

/** What each secret is, for labels and prompts. */
export const SECRET_LABELS: Record<SecretName, string> = {
  password: 'Password',
  sshPassword: 'SSH password',
  sshPassphrase: 'Key passphrase',
  jumpPassword: 'Jump host SSH password',
  jumpPassphrase: 'Jump host key passphrase',
};

/** "Copy of Production", for Duplicate. */
export function copyName(name: string): string {
  return `${name} (copy)`.slice(0, 80);
}
