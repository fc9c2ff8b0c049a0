import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverEntry = path.join(repoRoot, 'out', 'main', 'server.js');

/** A guard against a hung start-up, not a wait: the "running at" line ends the wait. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const RUNNING_LINE = /^Simple DB is running at (http:\/\/\S+)$/;

export interface SimpleDbProcess {
  /** The address it printed, `http://127.0.0.1:<port>/?token=…`. */
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr: () => string;
  /** Ctrl+C (SIGINT) and wait for the exit; rejects unless it exits with code 0. */
  stop: () => Promise<void>;
  /** The process itself, for tests that end it some other way (a crash: SIGKILL). */
  child: ChildProcess;
  /** Resolves with [code, signal] when it exits, however that happens. */
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

export interface StartOptions {
  /** SIMPLE_DB_DATA_DIR: its own directory, so two servers never share a data directory. */
  dataDir: string;
  /** DATABASE_URL, or none for the embedded PostgreSQL (whatever the developer's shell sets). */
  databaseUrl?: string;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Resolves with the printed address once the server says it is running; rejects if it exits first. */
function waitForAddress(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`Simple DB did not print its address within ${START_TIMEOUT_MS / 1000} s.\nstderr:\n${stderr()}`));
    }, START_TIMEOUT_MS);
    const onLine = (line: string) => {
      const match = RUNNING_LINE.exec(line.trim());
      if (!match) return;
      cleanup();
      resolve(match[1]!);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`Simple DB (${serverEntry}) ${describeExit(code, signal)} before it was running.\nstderr:\n${stderr() || '(empty)'}`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new Error(`Could not start ${serverEntry}: ${error.message}`));
    };
    function cleanup(): void {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('close', onExit);
      child.off('error', onError);
    }
    lines.on('line', onLine);
    // 'close', not 'exit': by then all of stderr has been read, so the error shows all of it.
    child.on('close', onExit);
    child.on('error', onError);
  });
}

/**
 * Starts browser mode (`node out/main/server.js`) on a free port and resolves once it prints
 * "Simple DB is running at …". If it never gets there, it is killed and the promise rejects with
 * its stderr; the data directory is the caller's to remove.
 */
export async function startSimpleDb({ dataDir, databaseUrl }: StartOptions): Promise<SimpleDbProcess> {
  if (!fs.existsSync(serverEntry)) {
    throw new Error(`${path.relative(repoRoot, serverEntry)} is missing: build the app first (npx electron-vite build, or npm test).`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, SIMPLE_DB_DATA_DIR: dataDir, SIMPLE_DB_PORT: '0' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [serverEntry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));

  let url: string;
  try {
    url = await waitForAddress(child, () => stderr);
  } catch (error) {
    if (!exited(child)) {
      child.kill('SIGKILL');
      await exit;
    }
    throw error;
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout.resume();

  return {
    url,
    child,
    exit,
    stderr: () => stderr,
    stop: async () => {
      if (exited(child)) {
        if (child.exitCode === 0) return;
        throw new Error(`Simple DB stopped before it was asked to: it ${describeExit(child.exitCode, child.signalCode)}.\nstderr:\n${stderr}`);
      }
      child.kill('SIGINT');
      // A guard against a hung shutdown, not a wait: the exit ends it.
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const [code, signal] = await exit;
      clearTimeout(timer);
      if (code !== 0) {
        throw new Error(`Simple DB did not stop cleanly on SIGINT: it ${describeExit(code, signal)}.\nstderr:\n${stderr}`);
      }
    },
  };
}
