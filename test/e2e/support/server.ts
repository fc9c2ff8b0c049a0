import crypto from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import type { ProcedureInput, ProcedureName, ProcedureOutput, User } from '../../../src/shared/contract';
import { CONNECTION_HEADER } from '../../../src/shared/ipc';

/** Set by the global setup: the address browser mode printed, `http://127.0.0.1:<port>/?token=…`. */
export const SERVER_URL_ENV = 'SIMPLE_DB_E2E_URL';
/** Set by the global setup: that server's SIMPLE_DB_DATA_DIR (its embedded cluster's credentials live there). */
export const DATA_DIR_ENV = 'SIMPLE_DB_E2E_DATA_DIR';

export interface ServerAddress {
  /** Exactly as printed, token included: what an admin opens. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  token: string;
}

/** The run's server (default), or another one a test started, from the address it printed. */
export function serverAddress(printed = process.env[SERVER_URL_ENV]): ServerAddress {
  const url = printed;
  if (!url) throw new Error(`${SERVER_URL_ENV} is not set: run these tests through playwright.config.ts (its globalSetup starts the server).`);
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token');
  if (!token) throw new Error(`The printed address has no token: ${url}`);
  return { url, origin: parsed.origin, token };
}

/** A short random tag, so each test's users are its own whatever ran before it. */
export function uniqueTag(): string {
  return crypto.randomBytes(4).toString('hex');
}

/**
 * Calls a procedure the way the renderer does in browser mode (POST /api/<name>, Bearer token).
 * Used to arrange data quickly; what the tests assert is what the page shows. `connectionId` is
 * the connection the call works on, as a window sends it (default: the app's start connection).
 */
export async function callApi<P extends ProcedureName>(
  request: APIRequestContext,
  procedure: P,
  input: ProcedureInput<P>,
  server: ServerAddress = serverAddress(),
  connectionId?: string,
): Promise<ProcedureOutput<P>> {
  const { origin, token } = server;
  const response = await request.post(`${origin}/api/${procedure}`, {
    headers: { Authorization: `Bearer ${token}`, ...(connectionId ? { [CONNECTION_HEADER]: connectionId } : {}) },
    data: input ?? {},
  });
  const body = (await response.json()) as { ok: true; data: ProcedureOutput<P> } | { ok: false; error: { code: string; message: string } };
  if (!body.ok) throw new Error(`${procedure} failed (${response.status()}): ${body.error.code} ${body.error.message}`);
  return body.data;
}

export function createUser(request: APIRequestContext, email: string, name: string): Promise<User> {
  return callApi(request, 'users.create', { email, name });
}

/** Every user, across pages. */
export async function listAllUsers(request: APIRequestContext, search = ''): Promise<User[]> {
  const users: User[] = [];
  let after: string | null = null;
  do {
    const page: ProcedureOutput<'users.list'> = await callApi(request, 'users.list', { pageSize: 100, search, after });
    users.push(...page.rows);
    after = page.nextCursor;
  } while (after);
  return users;
}

export async function deleteAllUsers(request: APIRequestContext): Promise<void> {
  for (const user of await listAllUsers(request)) await callApi(request, 'users.delete', { id: user.id });
}

export async function countUsers(request: APIRequestContext): Promise<number> {
  const { total } = await callApi(request, 'users.list', { pageSize: 25, withTotal: true });
  if (!total) throw new Error('users.list answered without a total although one was asked for');
  return total.count;
}

/** Waits for a job to finish (polling jobs.get); throws unless it succeeded. Returns the finished job. */
export async function waitForJob(
  request: APIRequestContext,
  jobId: string,
  server: ServerAddress = serverAddress(),
  connectionId?: string,
  timeout = 120_000,
): Promise<ProcedureOutput<'jobs.get'>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const job = await callApi(request, 'jobs.get', { id: jobId }, server, connectionId);
    if (job.state === 'succeeded') return job;
    if (job.state !== 'running') throw new Error(`${job.title} ${job.state}: ${job.error?.message ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new Error(`${job.title} still running after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Applies the pending migrations (a job since index builds can take a while) and waits for it. */
export async function migrateUp(
  request: APIRequestContext,
  server: ServerAddress = serverAddress(),
  connectionId?: string,
  timeout?: number,
): Promise<void> {
  const { jobId } = await callApi(request, 'migrations.up', {}, server, connectionId);
  await waitForJob(request, jobId, server, connectionId, timeout);
}
