import type { AppInfo } from '../../../shared/contract';
import { formatDatabaseAddress } from '../../../shared/database-address';

type Database = AppInfo['database'];

/** `host:port/db`, named the way every screen and log names a database. */
export function databaseAddress(db: Database): string {
  return formatDatabaseAddress(db.host, db.port, db.name);
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
