/**
 * What the translators may mention about where an error happened: never a password. The kind of
 * connection decides what the admin is told to fix (the embedded server has no address to edit;
 * DATABASE_URL is fixed in the environment; a saved profile in its form).
 */
export interface ConnectionErrorContext {
  kind: 'embedded' | 'url' | 'profile';
  /** `host:port/database` */
  where: string;
  user: string;
  /** A saved profile's name, for "edit the profile “…”". */
  profileName?: string;
  /** Reached through an SSH tunnel: a refused connection may be the tunnel's far end. */
  tunnelled?: boolean;
  /** No password was saved, typed or found in ~/.pgpass: a password failure means "enter one". */
  noPassword?: boolean;
  /** It worked before (an open connection): a refused connection means the server went, not a wrong address. */
  established?: boolean;
  /** A read-only profile: a refused write is its own flag, not a standby server. */
  readOnly?: boolean;
  /** The embedded server's process has exited: every connection error has this one cause. */
  embeddedStopped?: boolean;
}

export interface ErrorContext {
  connection?: ConnectionErrorContext;
  logFile?: string;
}
