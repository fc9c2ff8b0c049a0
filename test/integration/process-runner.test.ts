import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ProcessError, run, runningProcessCount, runToCompletion, stopAllProcesses } from '../../src/main/process/runner';

const node = process.execPath;
/** A small Node program given on the command line. */
const script = (code: string, ...args: string[]) => ({ command: node, args: ['-e', code, '--', ...args] });

describe('the process runner', () => {
  it('never uses a shell: an argument with spaces and ; arrives as one argument, and nothing runs after the ;', async () => {
    const lines: string[] = [];
    const tricky = 'a b; touch /tmp/simple-db-shell-probe; echo $HOME';
    await runToCompletion({ ...script('console.log(JSON.stringify(process.argv.slice(1)))', tricky, '$(id)'), onStdoutLine: (l) => lines.push(l) });
    expect(JSON.parse(lines[0]!)).toEqual([tricky, '$(id)']);
    await expect(fs.stat('/tmp/simple-db-shell-probe')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('passes secrets only through the environment: never in /proc/<pid>/cmdline', async () => {
    const secret = 'pa$$-w0rd-never-on-argv';
    const child = run({ ...script('setTimeout(() => {}, 60000)'), secretEnv: { PGPASSWORD: secret } });
    try {
      const cmdline = await fs.readFile(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(cmdline).not.toContain(secret);
      const environ = await fs.readFile(`/proc/${child.pid}/environ`, 'utf8');
      expect(environ.split('\0')).toContain(`PGPASSWORD=${secret}`);
    } finally {
      await child.stop();
    }
  });

  it('streams stderr line by line and keeps the last lines for the error', async () => {
    const seen: string[] = [];
    const failing = runToCompletion({
      ...script('for (let i = 1; i <= 30; i++) console.error(`line ${i}`); process.exit(3)'),
      onStderrLine: (line) => seen.push(line),
      keepLines: 5,
    });
    await expect(failing).rejects.toBeInstanceOf(ProcessError);
    const error = (await failing.catch((e: unknown) => e)) as ProcessError;
    expect(seen).toHaveLength(30);
    expect(seen[0]).toBe('line 1');
    expect(error.result.code).toBe(3);
    expect(error.result.lastLines).toEqual(['line 26', 'line 27', 'line 28', 'line 29', 'line 30']);
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('line 30');
  });

  it('abort sends SIGTERM, then SIGKILL to a child that ignores it', async () => {
    const controller = new AbortController();
    const ready: string[] = [];
    let signalReady!: () => void;
    const readyNow = new Promise<void>((resolve) => (signalReady = resolve));
    const stubborn = runToCompletion({
      ...script("process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000)"),
      signal: controller.signal,
      graceMs: 300,
      onStdoutLine: (line) => {
        ready.push(line);
        if (line === 'ready') signalReady();
      },
    });
    await readyNow;
    controller.abort();
    await expect(stubborn).rejects.toMatchObject({ name: 'AbortError' });
    expect(ready).toContain('ignoring SIGTERM');
  });

  it('a program that cannot be started is an error, not a hang', async () => {
    await expect(runToCompletion({ command: '/nonexistent/pg_dump', args: ['--version'] })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stopAllProcesses (what quitting the app runs) leaves no child behind', async () => {
    const children = [
      run(script('setInterval(() => {}, 1000)')),
      run({ ...script("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"), graceMs: 200 }),
    ];
    const pids = children.map((child) => child.pid!);
    expect(runningProcessCount()).toBeGreaterThanOrEqual(2);
    await stopAllProcesses();
    expect(runningProcessCount()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
