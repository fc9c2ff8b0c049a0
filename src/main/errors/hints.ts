import type { ConnectionErrorContext } from './context';

/** What the admin can change about a connection, phrased for where that setting lives. */
export type ConnectionSetting = 'host' | 'password' | 'user' | 'database' | 'ssl' | 'sslrootcert' | 'address';

const SETTING_WORDS: Record<ConnectionSetting, string> = {
  host: 'the host and port',
  password: 'the password',
  user: 'the user name',
  database: 'the database name',
  ssl: 'the SSL mode (sslmode)',
  sslrootcert: 'the CA certificate (sslrootcert)',
  address: 'the address',
};

/**
 * "Fix the password in DATABASE_URL (percent-encode @ : / ? in it)", "Edit the password of the
 * connection “prod”": the same advice, aimed at where this connection's settings are kept.
 */
export function fixHint(connection: ConnectionErrorContext | undefined, setting: ConnectionSetting): string {
  const what = SETTING_WORDS[setting];
  switch (connection?.kind) {
    case 'url':
      return `Fix ${what} in DATABASE_URL${setting === 'password' ? ' (percent-encode @ : / ? in it)' : ''} and restart Simple DB.`;
    case 'profile':
      // Read in the connection form as well as elsewhere: "check", not "edit".
      return `Check ${what} of the connection “${connection.profileName ?? connection.where}”.`;
    case 'embedded':
      // Simple DB chose every setting of its own server; only a restart can help.
      return 'Restart Simple DB; if it happens again, the details are in its log.';
    default:
      return `Check ${what} of the connection.`;
  }
}

/** The same advice in the middle of a sentence: "…, or fix the password in DATABASE_URL…". */
export function orFixHint(connection: ConnectionErrorContext | undefined, setting: ConnectionSetting): string {
  const hint = fixHint(connection, setting);
  return `or ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`;
}

/** The form field a profile's setting is edited in, so the window can show the message there. */
const PROFILE_FIELDS: Record<ConnectionSetting, string> = {
  host: 'profile.host',
  password: 'secrets.password',
  user: 'profile.user',
  database: 'profile.database',
  ssl: 'profile.ssl.mode',
  sslrootcert: 'profile.ssl.rootCert',
  address: 'profile.host',
};

/** `{ field }` for a saved profile's error (the form can point at it); nothing for other connections. */
export function fieldFor(connection: ConnectionErrorContext | undefined, setting: ConnectionSetting): { field?: string } {
  return connection?.kind === 'profile' ? { field: PROFILE_FIELDS[setting] } : {};
}
