import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { SERVER_URL_ENV } from './support/server';

const repoRoot = path.resolve(__dirname, '..', '..');
const serverEntry = path.join(repoRoot, 'out', 'main', 'server.js');

/** A guard against a hung start-up, not a wait: the "running at" line ends the wait. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const RUNNING_LINE = /^Simple DB is running at (http:\/\/\S+)$/;

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
 * Starts browser mode once for the whole run, on a fresh data directory (so a fresh embedded
 * PostgreSQL 15), and hands its printed address to the tests through SIMPLE_DB_E2E_URL. The
 * returned function is the teardown: Ctrl+C (SIGINT), wait for the exit, remove the directory.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(serverEntry)) {
    throw new Error(`${path.relative(repoRoot, serverEntry)} is missing: build the app first (npx electron-vite build, or npm test).`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-e2e-'));
  // Always the embedded server on a fresh directory, whatever the developer's shell points at.
  const env: NodeJS.ProcessEnv = { ...process.env, SIMPLE_DB_DATA_DIR: dataDir, SIMPLE_DB_PORT: '0' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [serverEntry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });

  let url: string;
  try {
    url = await waitForAddress(child, () => stderr);
  } catch (error) {
    if (!exited(child)) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout!.resume();
  process.env[SERVER_URL_ENV] = url;

  return async () => {
    try {
      if (!exited(child)) {
        const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
          child.once('exit', (code, signal) => resolve([code, signal])),
        );
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const [code, signal] = await exit;
        clearTimeout(timer);
        if (code !== 0) {
          throw new Error(`Simple DB did not stop cleanly on SIGINT: it ${describeExit(code, signal)}.\nstderr:\n${stderr}`);
        }
      } else if (child.exitCode !== 0) {
        throw new Error(`Simple DB stopped during the run: it ${describeExit(child.exitCode, child.signalCode)}.\nstderr:\n${stderr}`);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
