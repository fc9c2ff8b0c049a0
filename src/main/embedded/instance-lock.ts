import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readPid } from './pid-file';

export type InstanceLock = { acquired: true; release: () => Promise<void> } | { acquired: false; holder: number | null };

/**
 * One Simple DB per data directory, held by a listening socket: the kernel closes it the moment
 * the process exits, however it exits (kill -9 included, zombie or not), so a lock can never be
 * stale. Linux uses an abstract socket (no file at all); Windows a named pipe; macOS a socket file
 * in the temp folder, which a refused connection proves stale. The pid file beside the data only
 * tells a second start which process holds the lock.
 */
export async function acquireInstanceLock(dataDir: string): Promise<InstanceLock> {
  const address = lockAddress(dataDir);
  const pidFile = path.join(dataDir, 'simple-db.pid');
  const server = net.createServer((socket) => socket.destroy());
  // The lock must not keep the process alive on its own.
  server.unref();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (!usesSocketFile() || (await someoneListens(address))) return { acquired: false, holder: await readPid(pidFile) };
    await fs.rm(address, { force: true }); // a socket file left by a process that died
    await listen();
  }
  await fs.writeFile(pidFile, `${process.pid}\n`, { mode: 0o600 });
  return {
    acquired: true,
    release: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if ((await readPid(pidFile)) === process.pid) await fs.rm(pidFile, { force: true });
    },
  };
}

function usesSocketFile(): boolean {
  return process.platform !== 'linux' && process.platform !== 'win32';
}

function lockAddress(dataDir: string): string {
  const id = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
  if (process.platform === 'linux') return `\0simple-db-${id}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\simple-db-${id}`;
  // A socket path is limited to about 100 bytes, so not inside a data directory of any length.
  return path.join(os.tmpdir(), `simple-db-${id}.sock`);
}

function someoneListens(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
