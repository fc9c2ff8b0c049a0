import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { AppError } from '../errors/app-error';

const execFileAsync = promisify(execFile);

/** The unprivileged account the server runs as when Simple DB itself runs as root. */
export interface RunAs {
  uid: number;
  gid: number;
}

const ACCOUNT = 'postgres';

async function lookUp(): Promise<RunAs | null> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === ACCOUNT && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * PostgreSQL refuses to start as root. As root, run it as the `postgres` system account,
 * creating that account if this machine has none (the same name Debian's packages use, so a later
 * `apt-get install postgresql` adopts it).
 */
export async function resolveRunAs(): Promise<RunAs | null> {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return null;
  const existing = await lookUp();
  if (existing) return existing;
  try {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT]);
  } catch (error) {
    // Another process may have created it in the meantime.
    const raced = await lookUp();
    if (raced) return raced;
    throw new AppError(
      'INTERNAL',
      `Simple DB runs as root, and PostgreSQL cannot. Creating the '${ACCOUNT}' account failed: ${(error as Error).message}. Run Simple DB as an ordinary user instead.`,
      { cause: error },
    );
  }
  const created = await lookUp();
  if (!created) throw new AppError('INTERNAL', `The '${ACCOUNT}' account was created but cannot be found.`);
  return created;
}
