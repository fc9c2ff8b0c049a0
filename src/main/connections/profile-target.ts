import pg from 'pg';
import type { Profile, SecretName, SshHop } from '../../shared/contract/connections';
import { directClientConfig } from '../db/connect';
import type { ConnectionTarget } from '../db/target';
import type { Logger } from '../log/logger';
import { findPgpassPassword } from './pgpass';
import type { KnownHosts } from './ssh/known-hosts';
import { openSshTunnel, type SshHopCredentials, type SshTunnel } from './ssh/tunnel';

export type Secrets = Partial<Record<SecretName, string>>;

/** What opening a profile needs besides the profile: where host keys are kept, and the log. */
export interface ProfileOpening {
  knownHosts: KnownHosts;
  log: Logger;
}

/** One SSH hop with the secrets that belong to it (the bastion's, or the jump host's). */
function hopCredentials(hop: SshHop, secrets: Secrets, which: 'ssh' | 'jump'): SshHopCredentials {
  const password = which === 'ssh' ? secrets.sshPassword : secrets.jumpPassword;
  const passphrase = which === 'ssh' ? secrets.sshPassphrase : secrets.jumpPassphrase;
  return {
    host: hop.host,
    port: hop.port,
    user: hop.user,
    auth: hop.auth,
    ...(hop.auth === 'password' && password !== undefined ? { password } : {}),
    ...(hop.auth === 'key' && hop.privateKeyFile ? { privateKeyFile: hop.privateKeyFile } : {}),
    ...(hop.auth === 'key' && passphrase !== undefined ? { passphrase } : {}),
  };
}

/** Opens the profile's SSH tunnel (through its jump host, if any); null when it has none. */
export async function openProfileTunnel(profile: Profile, secrets: Secrets, opening: ProfileOpening): Promise<SshTunnel | null> {
  if (!profile.ssh) return null;
  const { jump, ...bastion } = profile.ssh;
  return openSshTunnel({
    bastion: hopCredentials(bastion, secrets, 'ssh'),
    ...(jump ? { jump: hopCredentials(jump, secrets, 'jump') } : {}),
    target: { host: profile.host, port: profile.port },
    knownHosts: opening.knownHosts,
    log: opening.log,
  });
}

/**
 * The target a profile describes: its password from the saved (or just typed) secrets, else
 * ~/.pgpass, as libpq would; sockets through the tunnel when there is one.
 */
export async function profileTarget(profile: Profile, secrets: Secrets, tunnel: SshTunnel | null): Promise<ConnectionTarget> {
  const password = secrets.password ?? (await findPgpassPassword(profile)) ?? '';
  const target: ConnectionTarget = {
    kind: 'profile',
    host: profile.host,
    port: profile.port,
    database: profile.database,
    user: profile.user,
    password,
    sslMode: profile.ssl.mode,
    ...(profile.ssl.rootCert ? { sslRootCert: profile.ssl.rootCert } : {}),
    ...(profile.ssl.cert ? { sslCert: profile.ssl.cert } : {}),
    ...(profile.ssl.key ? { sslKey: profile.ssl.key } : {}),
    ...(tunnel ? { via: { host: tunnel.localHost, port: tunnel.localPort } } : {}),
    readOnly: profile.readOnly,
    profileName: profile.name,
    color: profile.color,
  };
  return negotiateSsl(target);
}

/** Errors that say nothing answered at that address: a second attempt would only wait as long again. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

function unreachable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (code !== undefined && UNREACHABLE_CODES.has(code)) || /connection timeout|timeout expired/i.test(message ?? '');
}

/**
 * libpq's `prefer` and `allow`. node-postgres cannot fall back by itself, so one probe decides for
 * the pool, as libpq would for each connection: `prefer` tries SSL first and goes plain when the
 * server does not do SSL (or pg_hba.conf refuses SSL for this user); `allow` tries plain first and
 * encrypts only when pg_hba.conf refuses plain. The tools keep PGSSLMODE and decide the same way.
 */
async function negotiateSsl(target: ConnectionTarget): Promise<ConnectionTarget> {
  if (target.sslMode !== 'prefer' && target.sslMode !== 'allow') return target;
  const first = target.sslMode === 'prefer';
  const outcome = await tryConnect({ ...target, sslMode: first ? 'require' : 'disable' });
  if (outcome === 'ok') return { ...target, sslAvailable: first };
  const message = outcome.message;
  // Nothing answered (no such host, nothing listening, a timeout): the real connection would wait and fail the same way.
  if (unreachable(outcome)) throw outcome;
  if (first && (/does not support SSL/i.test(message) || /pg_hba\.conf.*SSL encryption/i.test(message))) return { ...target, sslAvailable: false };
  if (!first && /pg_hba\.conf.*no encryption/i.test(message)) return { ...target, sslAvailable: true };
  // Anything else (a wrong password, say) is for the real connection to report, the first way.
  return { ...target, sslAvailable: first };
}

/** One connection attempt (as patient as the pool, 5 s): 'ok', or what went wrong. */
async function tryConnect(target: ConnectionTarget): Promise<'ok' | Error> {
  const client = new pg.Client(directClientConfig(target, { applicationName: 'simple-db (ssl probe)', connectTimeoutMs: 5_000 }));
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export type { SshTunnel };
