import net from 'node:net';
import pg from 'pg';
import type { ConnectionTestResult, Profile, TestStep } from '../../shared/contract/connections';
import { directClientConfig } from '../db/connect';
import { pendingAfter } from '../db/migrations';
import type { ConnectionTarget } from '../db/target';
import { AppError } from '../errors/app-error';
import type { JobControl } from '../jobs/registry';
import { openProfileTunnel, profileTarget, type ProfileOpening, type Secrets, type SshTunnel } from './profile-target';

/** The oldest PostgreSQL Simple DB works with (11 and older are out of support and lack what our queries use). */
export const OLDEST_SUPPORTED_SERVER = 120000;

export function checkServerVersion(versionNumber: number, where: string): void {
  if (versionNumber >= OLDEST_SUPPORTED_SERVER) return;
  const major = Math.floor(versionNumber / 10000);
  throw new AppError(
    'CONNECTION',
    `${where} runs PostgreSQL ${major}, which Simple DB does not support (12 or newer is needed). Upgrade the server, or use a tool made for that version.`,
  );
}

/** Creates the target's database, connected to the server's `postgres` database as the same user. */
export async function createDatabaseOn(target: ConnectionTarget): Promise<void> {
  const client = new pg.Client(directClientConfig(target, { database: 'postgres', applicationName: 'simple-db', connectTimeoutMs: 10_000 }));
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.database)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Can a TCP connection be made at all? Resolves with the milliseconds it took. */
function reach(address: { host: string; port: number }, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address.host, port: address.port, timeout: 10_000, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(performance.now() - started);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${address.host}:${address.port}`), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', reject);
  });
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/**
 * "Test connection", step by step: the SSH tunnel, reaching the server, logging in, its version and
 * round-trip time, SSL, and whether the schema is Simple DB's. Each step is reported as it starts
 * and ends; the first failure ends the test with its translated error. Nothing stays open.
 */
export async function runConnectionTest(
  profile: Profile,
  secrets: Secrets,
  opening: ProfileOpening,
  control: JobControl,
): Promise<ConnectionTestResult> {
  const steps: TestStep[] = [];
  const report = (step: TestStep) => {
    const at = steps.findIndex((existing) => existing.id === step.id);
    if (at >= 0) steps[at] = step;
    else steps.push(step);
    control.progress({
      phase: step.id,
      done: steps.filter((candidate) => candidate.state !== 'running').length,
      total: null,
      unit: 'steps',
      message: `${step.label}${step.detail ? `: ${step.detail}` : ''}`,
    });
  };
  async function step<T>(id: TestStep['id'], label: string, work: () => Promise<{ value: T; detail?: string }>): Promise<T> {
    control.signal.throwIfAborted();
    report({ id, label, state: 'running' });
    try {
      const { value, detail } = await work();
      report({ id, label, state: 'ok', ...(detail ? { detail } : {}) });
      return value;
    } catch (error) {
      // The job's error says why, translated for people; the step only says where it stopped.
      report({ id, label, state: 'failed' });
      throw error;
    }
  }

  let tunnel: SshTunnel | null = null;
  let client: pg.Client | null = null;
  const stop = () => void client?.end().catch(() => undefined);
  control.signal.addEventListener('abort', stop, { once: true });
  try {
    if (profile.ssh) {
      const { ssh } = profile;
      const through = ssh.jump ? ` via ${ssh.jump.user}@${ssh.jump.host}:${ssh.jump.port}` : '';
      tunnel = await step('ssh', `SSH tunnel through ${ssh.user}@${ssh.host}:${ssh.port}${through}`, async () => ({
        value: await openProfileTunnel(profile, secrets, opening),
        detail: 'open',
      }));
    }
    const address = tunnel ? { host: tunnel.localHost, port: tunnel.localPort } : { host: profile.host, port: profile.port };
    await step('connect', `Reaching ${profile.host}:${profile.port}`, async () => ({
      value: null,
      detail: ms(await reach(address, control.signal)),
    }));
    const target = await profileTarget(profile, secrets, tunnel);
    const connected = new pg.Client(directClientConfig(target, { applicationName: 'simple-db (test)', connectTimeoutMs: 10_000 }));
    connected.on('error', () => undefined);
    client = connected;
    await step('login', `Logging in as ${profile.user} to ${profile.database}`, async () => ({ value: await connected.connect() }));
    const { version, latencyMs } = await step('version', 'Server version and round trip', async () => {
      const { rows } = await connected.query<{ server_version: string; num: string }>(
        "SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS num",
      );
      checkServerVersion(Number(rows[0]?.num ?? 0), `${profile.host}:${profile.port}`);
      const times: number[] = [];
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        await connected.query('SELECT 1');
        times.push(performance.now() - started);
      }
      const median = times.sort((a, b) => a - b)[1]!;
      const serverVersion = rows[0]?.server_version ?? 'unknown';
      return {
        value: { version: serverVersion, latencyMs: Math.round(median * 10) / 10 },
        detail: `PostgreSQL ${serverVersion}, ${ms(median)} round trip`,
      };
    });
    const ssl = await step('ssl', 'Encryption', async () => {
      const { rows } = await connected.query<{ ssl: boolean; version: string | null; cipher: string | null }>(
        'SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      const row = rows[0];
      const value = row?.ssl ? { protocol: row.version ?? 'unknown', cipher: row.cipher ?? 'unknown' } : null;
      return { value, detail: value ? `SSL ${value.protocol}, ${value.cipher}` : 'not encrypted' };
    });
    const migrations = await step('schema', 'Simple DB schema', async () => {
      const { rows } = await connected.query<{ exists: boolean }>(`SELECT to_regclass('"SequelizeMeta"') IS NOT NULL AS exists`);
      const applied = rows[0]?.exists
        ? (await connected.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name')).rows.map((row) => row.name)
        : [];
      const pending = pendingAfter(applied);
      const detail =
        applied.length === 0
          ? 'not set up yet (migrations can create it)'
          : pending.length === 0
            ? 'up to date'
            : `${pending.length} migration(s) pending`;
      return { value: { applied, pending }, detail };
    });
    return { steps, serverVersion: version, latencyMs, ssl, migrations };
  } finally {
    control.signal.removeEventListener('abort', stop);
    await client?.end().catch(() => undefined);
    await tunnel?.close().catch(() => undefined);
  }
}
