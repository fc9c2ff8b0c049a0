import type { AppInfo } from '../../shared/contract';

type Database = AppInfo['database'];

/** `host:port/db`, with IPv6 literals bracketed as in a URL. */
export function databaseAddress(db: Database): string {
  const host = db.host.includes(':') ? `[${db.host}]` : db.host;
  return `${host}:${db.port}/${db.name}`;
}

/** Servers report either "15.4" or a full "PostgreSQL 15.4 on …" banner; show one form. */
export function serverVersionText(db: Database): string {
  const version = db.serverVersion.trim();
  return /^postgresql/i.test(version) ? version : `PostgreSQL ${version}`;
}

/** What the status bar says the app is connected to. */
export function databaseLabel(db: Database): string {
  return db.kind === 'embedded' ? `Embedded ${serverVersionText(db)}` : databaseAddress(db);
}
