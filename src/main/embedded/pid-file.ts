import fs from 'node:fs/promises';

/** True if a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid on the first line of a pid file (ours, or PostgreSQL's postmaster.pid), if any. */
export async function readPid(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Takes an exclusive lock by creating `file` with our pid. A lock left by a process that no longer
 * runs is stale and taken over; a live one is returned so the caller can say who holds it.
 */
const heldByThisProcess = new Set<string>();

export async function acquirePidLock(file: string): Promise<{ acquired: true } | { acquired: false; holder: number }> {
  // Our own pid in the file means "held" only if this process took it; else it is a stale file
  // from an earlier process that happened to have the same pid.
  if (heldByThisProcess.has(file)) return { acquired: false, holder: process.pid };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      heldByThisProcess.add(file);
      return { acquired: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readPid(file);
      if (holder !== null && holder !== process.pid && isProcessAlive(holder)) return { acquired: false, holder };
      await fs.rm(file, { force: true });
    }
  }
  return { acquired: false, holder: (await readPid(file)) ?? 0 };
}

export async function releasePidLock(file: string): Promise<void> {
  if (!heldByThisProcess.delete(file)) return;
  if ((await readPid(file)) === process.pid) await fs.rm(file, { force: true });
}

/** Waits for a process that is not our child to exit, by polling (there is no event for that). */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
