import os from 'node:os';
import path from 'node:path';

/**
 * Where Simple DB keeps its own files (embedded PostgreSQL data, its credentials, logs).
 * Desktop and browser mode use the same directory so they see the same embedded database.
 *
 * - SIMPLE_DB_DATA_DIR wins (tests, portable installs).
 * - As root, /var/lib/simple-db: PostgreSQL refuses to run as root, so the server runs as the
 *   `postgres` user, which cannot enter root's home directory.
 * - Otherwise the platform's per-user application data directory.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIMPLE_DB_DATA_DIR) return path.resolve(env.SIMPLE_DB_DATA_DIR);
  if (process.getuid?.() === 0) return '/var/lib/simple-db';
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Simple DB');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Simple DB');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'simple-db');
  }
}

export function logFilePath(dataDir: string): string {
  return path.join(dataDir, 'logs', 'simple-db.log');
}
