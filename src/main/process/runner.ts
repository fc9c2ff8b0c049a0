import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';

export interface RunOptions {
  command: string;
  /** Passed to the program as they are: never joined into a string, never seen by a shell. */
  args: readonly string[];
  /** Environment added to the child's (non-secret settings, LC_ALL and the like). */
  env?: Record<string, string>;
  /** Inherited variables whose names match are not passed on (say, the shell's own PG* settings). */
  dropInheritedEnv?: RegExp;
  /**
   * 'pipe' gives the caller the child's stdin (a script fed to psql); another process's stdout
   * connects the two directly, through the OS (pg_restore into psql); default: none.
   */
  stdin?: 'pipe' | 'ignore' | Readable;
  /**
   * Secrets (PGPASSWORD, …): they reach the child only through its environment, never its
   * command line (which every user of the machine can read in /proc/<pid>/cmdline) or a log line.
   */
  secretEnv?: Record<string, string>;
  cwd?: string;
  /** Run as another account (the embedded server, when Simple DB runs as root). */
  uid?: number;
  gid?: number;
  /** Its own process group, so a terminal's Ctrl+C reaches us first and we stop it in order. */
  detached?: boolean;
  /** Aborting stops the process: `stopSignal`, then `killSignal` after `graceMs`. */
  signal?: AbortSignal;
  /** Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Default SIGKILL. */
  killSignal?: NodeJS.Signals;
  /** Default 5 s. */
  graceMs?: number;
  /** 'lines' streams stdout to onStdoutLine; 'stream' hands the raw stream to the caller (a dump). */
  stdout?: 'lines' | 'stream' | 'ignore';
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** How many of the last output lines to keep for an error message. Default 20. */
  keepLines?: number;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the program wrote (stderr and stdout lines), oldest first. */
  lastLines: string[];
  /** True when it ended because it was asked to stop (abort or stop()). */
  stopped: boolean;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  /** The raw stdout when `stdout: 'stream'`. */
  readonly stdout: Readable | null;
  /** Settles when the process has exited and its output has been read. Rejects only if it could not start. */
  readonly done: Promise<ProcessResult>;
  readonly running: boolean;
  /** Stop signal, then the kill signal after the grace period; resolves once it has exited. */
  stop(): Promise<ProcessResult>;
  /** At once, without a grace period: the last resort when this process exits. */
  kill(): void;
}

/** The programs this process started and that have not exited: stopped on quit, never orphaned. */
const live = new Set<RunningProcess>();

/** A failed run: which program, how it ended, and its last words (never its environment). */
export class ProcessError extends Error {
  constructor(
    readonly program: string,
    readonly result: ProcessResult,
  ) {
    const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.code}`;
    const said = result.lastLines.length ? `: ${result.lastLines.slice(-5).join(' | ')}` : '';
    super(`${program} ${how}${said}`);
    this.name = 'ProcessError';
  }
}

export function run(options: RunOptions): RunningProcess {
  const keep = options.keepLines ?? 20;
  const lastLines: string[] = [];
  const remember = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > keep) lastLines.shift();
  };
  const inherited = options.dropInheritedEnv
    ? Object.fromEntries(Object.entries(process.env).filter(([name]) => !options.dropInheritedEnv!.test(name)))
    : process.env;
  const child = spawn(options.command, [...options.args], {
    shell: false,
    cwd: options.cwd,
    env: { ...inherited, ...options.env, ...options.secretEnv },
    stdio: [options.stdin ?? 'ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
    detached: options.detached ?? false,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });

  const readLines = (stream: Readable | null, onLine?: (line: string) => void) => {
    if (!stream) return Promise.resolve();
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      remember(line);
      onLine?.(line);
    });
    return new Promise<void>((resolve) => lines.once('close', resolve));
  };
  const outputRead = Promise.all([
    options.stdout === 'lines' || options.stdout === undefined ? readLines(child.stdout, options.onStdoutLine) : Promise.resolve(),
    readLines(child.stderr, options.onStderrLine),
  ]);

  let stopRequested = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.once('error', (error) => {
      live.delete(handle);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(killTimer);
      live.delete(handle);
      options.signal?.removeEventListener('abort', onAbort);
      // Output may still be draining; a grandchild holding the pipe must not keep us waiting.
      void Promise.race([outputRead, new Promise((r) => setTimeout(r, 2000))]).then(() =>
        resolve({ code, signal, lastLines: [...lastLines], stopped: stopRequested }),
      );
    });
  });
  // A caller that only uses stop() must not get an unhandled rejection for a failed spawn.
  done.catch(() => undefined);

  const stop = (): Promise<ProcessResult> => {
    if (!exited() && !stopRequested) {
      stopRequested = true;
      child.kill(options.stopSignal ?? 'SIGTERM');
      killTimer = setTimeout(() => {
        if (!exited()) child.kill(options.killSignal ?? 'SIGKILL');
      }, options.graceMs ?? 5000);
    }
    return done;
  };
  const onAbort = () => void stop().catch(() => undefined);

  const handle: RunningProcess = {
    get pid() {
      return child.pid;
    },
    child,
    stdout: options.stdout === 'stream' ? child.stdout : null,
    done,
    get running() {
      return !exited();
    },
    stop,
    kill: () => {
      if (!exited()) child.kill(options.killSignal ?? 'SIGKILL');
    },
  };
  live.add(handle);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return handle;
}

/** Runs a program to its end; rejects with ProcessError unless it exits 0, with an AbortError if aborted. */
export async function runToCompletion(options: RunOptions): Promise<ProcessResult> {
  const result = await run(options).done;
  if (result.stopped && options.signal?.aborted) throw new DOMException(`${path.basename(options.command)} was cancelled`, 'AbortError');
  if (result.code !== 0) throw new ProcessError(path.basename(options.command), result);
  return result;
}

/** On quit: stop every program still running, and wait for them. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((handle) => handle.stop().catch(() => undefined)));
}

export function runningProcessCount(): number {
  return live.size;
}

// Last resort for an exit nobody planned (an uncaught error, process.exit in a hurry): nothing we
// started may outlive us. 'exit' handlers must be synchronous, so no grace period here.
process.once('exit', () => {
  for (const handle of live) handle.kill();
});
