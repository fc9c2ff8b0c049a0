import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

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

/** The command line of a running process, or null where it cannot be read. */
export async function processCommandLine(pid: number): Promise<string | null> {
  if (process.platform === 'linux') {
    const text = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
    return text === null ? null : text.replace(/\0/g, ' ').trim();
  }
  if (process.platform === 'win32') return null;
  const result = await execFileAsync('ps', ['-p', String(pid), '-o', 'command=']).catch(() => null);
  return result ? result.stdout.trim() || null : null;
}

/** When a process started (Linux: clock ticks since boot), so a recycled pid is not mistaken for it. */
async function processStartTime(pid: number): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // Fields after the command name (which may contain spaces) start at the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

/** The pid on the first line of a pid file (ours, or PostgreSQL's postmaster.pid), if any. */
export async function readPid(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Is the process that wrote this lock still the one running under its pid? */
async function lockHolderAlive(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const [pidText, startedAt] = text.split('\n');
  const pid = Number.parseInt(pidText ?? '', 10);
  if (!isProcessAlive(pid)) return null;
  if (startedAt && (await processStartTime(pid)) !== startedAt) return null; // pid recycled
  return pid;
}

const heldByThisProcess = new Set<string>();

/**
 * Takes an exclusive lock by creating `file` with our pid and start time. A lock left by a process
 * that no longer runs is stale and taken over; a live one is returned so the caller can say who
 * holds it.
 */
export async function acquirePidLock(file: string): Promise<{ acquired: true } | { acquired: false; holder: number }> {
  if (heldByThisProcess.has(file)) return { acquired: false, holder: process.pid };
  const content = `${process.pid}\n${(await processStartTime(process.pid)) ?? ''}\n`;
  const acquired = () => {
    heldByThisProcess.add(file);
    return { acquired: true as const };
  };
  try {
    await fs.writeFile(file, content, { flag: 'wx', mode: 0o600 });
    return acquired();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = await lockHolderAlive(file);
  if (holder !== null && holder !== process.pid) return { acquired: false, holder };
  // A stale lock: take it over atomically (rename replaces it in one step), then read it back.
  // Of two starts racing for the same stale lock, only the last rename survives, and the other
  // sees that and backs off instead of both believing they hold it.
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, content, { mode: 0o600 });
  await fs.rename(temporary, file);
  if ((await fs.readFile(file, 'utf8').catch(() => '')) === content) return acquired();
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
