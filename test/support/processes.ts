import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverEntry = path.join(repoRoot, 'out', 'main', 'server.js');

/** Pids of running processes whose command line mentions `text` (e.g. a data directory). */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/** Starts browser mode (the built entry) and resolves with its printed address. */
export async function startBrowserMode(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  await fs.access(serverEntry).catch(() => {
    throw new Error(`${serverEntry} is missing: run \`npm run build\` first (npm test does).`);
  });
  const child = spawn(process.execPath, [serverEntry], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    // A guard against a hung start-up, not a wait: the printed address ends the wait.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`browser mode printed no address within 120 s: ${output}`));
    }, 120_000);
    const onData = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited (${code}) before it was ready: ${output}`));
    });
  });
  return { child, url, output: () => output };
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
