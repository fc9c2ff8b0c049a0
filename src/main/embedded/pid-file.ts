import { execFile } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * True if a process with this pid is running (EPERM means it exists but belongs to someone else).
 * A zombie (exited, not yet reaped by its parent) is not running: it holds nothing any more.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fsSync.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which may itself contain spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
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

/** The pid on the first line of a pid file (ours, or PostgreSQL's postmaster.pid), if any. */
export async function readPid(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
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
