import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { startApp, type App as Backend } from '../../src/main/bootstrap';
import type { SecretCipher } from '../../src/main/connections/secret-vault';
import type { AppEvent, ConnectionEntry, Job, ProfileDraft } from '../../src/shared/contract';
import type { ApiError } from '../../src/shared/errors';
import type { RemotePostgres } from './remote-postgres';

/** A backend as the desktop or browser mode starts it, on a data directory of its own, with every log line kept. */
export interface TestApp {
  backend: Backend;
  dataDir: string;
  logLines: string[];
  /** Every event the bus sent since the start. */
  events: AppEvent[];
  close(): Promise<void>;
}

export async function startTestApp(
  options: { dataDir?: string; databaseUrl?: string; secretCipher?: SecretCipher; removeDataDir?: boolean } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-connections-')));
  const logLines: string[] = [];
  const backend = await startApp({
    dataDir,
    databaseUrl: options.databaseUrl,
    version: 'test',
    log: (line) => {
      logLines.push(line);
      if (process.env.DEBUG_LOG) console.error(line);
    },
    ...(options.secretCipher ? { secretCipher: options.secretCipher } : {}),
  });
  const events: AppEvent[] = [];
  backend.services.bus.subscribe((event) => events.push(event));
  return {
    backend,
    dataDir,
    logLines,
    events,
    close: async () => {
      await backend.close();
      if (options.removeDataDir !== false) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The data of a call (on the window's connection `connectionId`), failing the test with the error otherwise. */
export async function ok<T = unknown>(backend: Backend, procedure: string, input: unknown = {}, connectionId?: string): Promise<T> {
  const result = await backend.dispatch(procedure, input, connectionId === undefined ? {} : { connectionId });
  if (!result.ok)
    throw new Error(`${procedure} failed: ${result.error.code}${result.error.field ? ` (${result.error.field})` : ''}: ${result.error.message}`);
  return result.data as T;
}

/** The error of a call that must fail. */
export async function fails(backend: Backend, procedure: string, input: unknown = {}, connectionId?: string): Promise<ApiError> {
  const result = await backend.dispatch(procedure, input, connectionId === undefined ? {} : { connectionId });
  if (result.ok) throw new Error(`${procedure} succeeded but should have failed: ${JSON.stringify(result.data).slice(0, 300)}`);
  return result.error;
}

/** Starts a job through the contract (on `connectionId`) and waits for its end: the registry's own promise. */
export async function jobOn(backend: Backend, procedure: string, input: unknown, connectionId?: string): Promise<Job> {
  const { jobId } = await ok<{ jobId: string }>(backend, procedure, input, connectionId);
  return backend.services.jobs.finished(jobId);
}

/** Saves a profile (optionally with secrets) and returns its list entry. */
export async function saveProfile(
  backend: Backend,
  profile: ProfileDraft | Record<string, unknown>,
  secrets: Record<string, string | null> = {},
  keepSecretsInMemory = true,
): Promise<ConnectionEntry> {
  return ok<ConnectionEntry>(backend, 'connections.save', { profile, secrets, keepSecretsInMemory });
}

/**
 * The next `connection.state` event for `connectionId` in `state`: subscribe before doing what causes
 * it. Rejects after `timeoutMs` so a missing event fails the test with a reason rather than its timeout.
 */
export function nextConnectionState(
  backend: Backend,
  connectionId: string,
  state: 'open' | 'lost' | 'closed',
  timeoutMs = 25_000,
): Promise<Extract<AppEvent, { type: 'connection.state' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no connection.state ${state} event for ${connectionId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = backend.services.bus.subscribe((event) => {
      if (event.type === 'connection.state' && event.connectionId === connectionId && event.state === state) {
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      }
    });
  });
}

/**
 * Stands in for Electron's safeStorage (which needs a running Electron): AES-256-GCM with a key that
 * lives only in this process, as the OS keyring's key lives outside the data directory.
 */
export function testCipher(key: Buffer = crypto.randomBytes(32)): SecretCipher & { key: Buffer } {
  return {
    key,
    available: true,
    detail: 'test keyring (AES-256-GCM)',
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(encrypted) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** Every regular file under `dir`, recursively (backups, manifests, logs, settings…). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** A port on 127.0.0.1 nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP server that accepts connections and never says a word: a firewall that swallows packets, as the client sees it. */
export async function startSilentServer(): Promise<{ port: number; attempts(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let attempts = 0;
  const server = net.createServer((socket) => {
    attempts += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** How many connections were made to it: each one an admin waits a full timeout for. */
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw client to a database of the remote server, as its superuser over the Unix socket (never through the app, never refused by pg_hba.conf). */
export async function remoteClient(server: RemotePostgres, database: string): Promise<pg.Client> {
  const client = new pg.Client({
    host: server.socketDir,
    port: server.port,
    user: server.superuser,
    password: server.superuserPassword,
    database,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Waits until `check` returns true (checked every 50 ms), for what no event announces; fails after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error of a job that must fail, with its state checked. */
export function failedJobError(job: Job): ApiError {
  expect(job.state).toBe('failed');
  expect(job.error).not.toBeNull();
  return job.error!;
}

/**
 * Reads the command line of every process, over and over, until stopped: what any user of the machine
 * could read in /proc/<pid>/cmdline (or `ps`) while, say, a backup runs. Returns each distinct one seen.
 */
export function watchCommandLines(): { stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const pid of await fs.readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline) seen.add(cmdline.replace(/\0/g, ' ').trim());
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await watcher;
      return [...seen];
    },
  };
}
