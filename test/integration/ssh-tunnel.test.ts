import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/main/errors/app-error';
import { KnownHosts, fingerprintOf } from '../../src/main/connections/ssh/known-hosts';
import { openSshTunnel, type SshHopCredentials, type SshTunnel, type SshTunnelOptions } from '../../src/main/connections/ssh/tunnel';
import { serverConnection } from '../support/database';
import { sshdAvailable, sshKeygenFingerprint, startSshAgent, startSshd, type TestSshd } from '../support/sshd';

describe.skipIf(!sshdAvailable)('SSH tunnel through a real sshd', () => {
  let sshd: TestSshd;
  let dataDir: string;
  let knownHosts: KnownHosts;
  let logLines: string[];
  const tunnels: SshTunnel[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    sshd = await startSshd();
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-ssh-test-'));
    knownHosts = KnownHosts.inDataDir(dataDir);
    logLines = [];
  });

  afterEach(async () => {
    await Promise.all(tunnels.splice(0).map((tunnel) => tunnel.close()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const database = () => serverConnection();

  /** Trusts the key sshd serves now, as `ssh-keyscan` would read it from its .pub file. */
  async function trustCurrentHostKey(): Promise<void> {
    const [algorithm, key] = (await fs.readFile(sshd.hostKeyPubFile, 'utf8')).trim().split(/\s+/);
    await knownHosts.trust(sshd.host, sshd.port, algorithm!, key!);
  }

  function passwordHop(password = sshd.password): SshHopCredentials {
    return { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'password', password };
  }

  function options(overrides: Partial<SshTunnelOptions> = {}): SshTunnelOptions {
    return {
      bastion: passwordHop(),
      target: { host: database().host, port: database().port },
      knownHosts,
      log: (line) => logLines.push(line),
      ...overrides,
    };
  }

  async function open(overrides: Partial<SshTunnelOptions> = {}): Promise<SshTunnel> {
    const tunnel = await openSshTunnel(options(overrides));
    tunnels.push(tunnel);
    return tunnel;
  }

  async function openFails(overrides: Partial<SshTunnelOptions> = {}): Promise<AppError> {
    const result = await openSshTunnel(options(overrides)).then(
      (tunnel) => {
        tunnels.push(tunnel);
        return null;
      },
      (error: unknown) => error,
    );
    expect(result).toBeInstanceOf(AppError);
    return result as AppError;
  }

  /** What the app does through the tunnel: a PostgreSQL session on 127.0.0.1:localPort. */
  async function selectOneThrough(tunnel: SshTunnel): Promise<number> {
    const { user, password } = database();
    const client = new pg.Client({ host: tunnel.localHost, port: tunnel.localPort, user, password, database: 'postgres' });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const result = await client.query<{ one: number }>('SELECT 1 AS one');
      return result.rows[0]!.one;
    } finally {
      await client.end();
    }
  }

  it('refuses an unknown host key with its fingerprint to compare, and connects once it is trusted', async () => {
    const error = await openFails();
    expect(error.code).toBe('CONNECTION');
    expect(error.offer).toBe('trustHostKey');
    expect(error.hostKey).toMatchObject({ host: sshd.host, port: sshd.port, algorithm: 'ssh-ed25519', changed: false });
    expect(error.hostKey!.fingerprint).toBe(await sshKeygenFingerprint(sshd.hostKeyPubFile));
    expect(fingerprintOf(Buffer.from(error.hostKey!.key, 'base64'))).toBe(error.hostKey!.fingerprint);
    expect(error.message).toContain(`The SSH server ${sshd.host}:${sshd.port} is not known yet`);
    expect(error.message).toContain(error.hostKey!.fingerprint);

    // The admin compared it and trusts exactly what was shown.
    await knownHosts.trust(error.hostKey!.host, error.hostKey!.port, error.hostKey!.algorithm, error.hostKey!.key);
    expect((await fs.stat(knownHosts.file)).mode & 0o777).toBe(0o600);
    expect(await knownHosts.check(sshd.host, sshd.port, error.hostKey!.algorithm, error.hostKey!.key)).toEqual({ status: 'trusted' });

    const tunnel = await open();
    expect(tunnel.localHost).toBe('127.0.0.1');
    expect(tunnel.localPort).toBeGreaterThan(0);
    expect(await selectOneThrough(tunnel)).toBe(1);
    // Several sessions at once, each its own channel.
    expect(await Promise.all([selectOneThrough(tunnel), selectOneThrough(tunnel), selectOneThrough(tunnel)])).toEqual([1, 1, 1]);
  });

  it('logs in with a password, and says which field to fix when it is wrong without repeating it', async () => {
    await trustCurrentHostKey();
    const tunnel = await open();
    expect(await selectOneThrough(tunnel)).toBe(1);

    const wrong = 'not-the-Password-123';
    const error = await openFails({ bastion: passwordHop(wrong) });
    expect(error.code).toBe('CONNECTION');
    expect(error.field).toBe('secrets.sshPassword');
    expect(error.message).toBe(
      `The SSH server ${sshd.host}:${sshd.port} did not accept ${sshd.user}'s password. Check the SSH user name and password.`,
    );
    for (const text of [error.message, ...logLines]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(sshd.password);
    }
  });

  it('logs in with an encrypted key and its passphrase; a wrong or missing passphrase or key file names its field', async () => {
    await trustCurrentHostKey();
    const keyHop = (extra: Partial<SshHopCredentials>): SshHopCredentials => ({
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: 'key',
      privateKeyFile: sshd.userKeyFile,
      ...extra,
    });
    const tunnel = await open({ bastion: keyHop({ passphrase: sshd.passphrase }) });
    expect(await selectOneThrough(tunnel)).toBe(1);

    const wrongPassphrase = 'wrong-Passphrase-42';
    const wrong = await openFails({ bastion: keyHop({ passphrase: wrongPassphrase }) });
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.field).toBe('secrets.sshPassphrase');
    expect(wrong.message).toContain('passphrase does not unlock');
    expect(wrong.message).not.toContain(wrongPassphrase);

    const missing = await openFails({ bastion: keyHop({}) });
    expect(missing.code).toBe('VALIDATION');
    expect(missing.field).toBe('secrets.sshPassphrase');

    const noFile = await openFails({ bastion: keyHop({ privateKeyFile: path.join(sshd.dir, 'no_such_key') }) });
    expect(noFile.code).toBe('VALIDATION');
    expect(noFile.field).toBe('ssh.privateKeyFile');
    expect(noFile.message).toContain('does not exist');

    const publicHalf = await openFails({ bastion: keyHop({ privateKeyFile: `${sshd.plainKeyFile}.pub` }) });
    expect(publicHalf.code).toBe('VALIDATION');
    expect(publicHalf.field).toBe('ssh.privateKeyFile');

    for (const line of logLines) expect(line).not.toContain(sshd.passphrase);
  });

  it('logs in with a key from ssh-agent, and says so when no agent is running', async () => {
    await trustCurrentHostKey();
    const agent = await startSshAgent(sshd.plainKeyFile);
    cleanups.push(() => agent.stop());
    const tunnel = await open({ bastion: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'agent', agentSocket: agent.socket } });
    expect(await selectOneThrough(tunnel)).toBe(1);

    const noAgent = await openFails({
      bastion: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'agent', agentSocket: path.join(dataDir, 'no-agent.sock') },
    });
    expect(noAgent.code).toBe('VALIDATION');
    expect(noAgent.field).toBe('ssh.auth');
    expect(noAgent.message).toContain('No SSH agent is listening');
  });

  it('refuses a changed host key as a possible attack, naming both fingerprints', async () => {
    await trustCurrentHostKey();
    const before = sshd.hostKeyFingerprint;
    await sshd.restartWithNewHostKey();
    expect(sshd.hostKeyFingerprint).not.toBe(before);

    const error = await openFails();
    expect(error.code).toBe('CONNECTION');
    expect(error.offer).toBeUndefined();
    expect(error.hostKey).toMatchObject({ changed: true, previousFingerprint: before, fingerprint: sshd.hostKeyFingerprint });
    expect(error.message).toContain('man-in-the-middle');
    expect(error.message).toContain(before);
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    // Refusing changed nothing: the old key is still the one on record.
    expect((await knownHosts.check(sshd.host, sshd.port, error.hostKey!.algorithm, error.hostKey!.key)).status).toBe('changed');

    // The admin checked with the server's admin and trusts the new key explicitly.
    await knownHosts.trust(sshd.host, sshd.port, error.hostKey!.algorithm, error.hostKey!.key);
    expect(await selectOneThrough(await open())).toBe(1);
  });

  it('tells when the SSH session drops and reconnects on the next database connection', async () => {
    await trustCurrentHostKey();
    const tunnel = await open();
    expect(await selectOneThrough(tunnel)).toBe(1);

    // A session that is open when the tunnel drops ends at once rather than hang.
    const { user, password } = database();
    const held = new pg.Client({ host: tunnel.localHost, port: tunnel.localPort, user, password, database: 'postgres' });
    const heldEnded = new Promise<void>((resolve) => {
      held.on('error', () => resolve());
      held.on('end', () => resolve());
    });
    await held.connect();

    const dropped = new Promise<string>((resolve) => tunnel.onDropped(resolve));
    await sshd.killSessions();
    await heldEnded;
    await expect(held.query('SELECT 1')).rejects.toThrow();
    expect(await dropped).toMatch(new RegExp(`^The SSH tunnel through ${sshd.user}@${sshd.host}:${sshd.port} dropped \\(.+\\)\\.$`));

    // Same local port, one new SSH session behind it for the connections that come at once.
    const connects = () => logLines.filter((line) => line.includes('connected through')).length;
    const connectsBefore = connects();
    expect(await Promise.all([selectOneThrough(tunnel), selectOneThrough(tunnel), selectOneThrough(tunnel)])).toEqual([1, 1, 1]);
    expect(connects()).toBe(connectsBefore + 1);
    await tunnel.ensureConnected();
    expect(tunnel.lastError()).toBeNull();
  });

  it('reaches the bastion through a jump host', async () => {
    await trustCurrentHostKey();
    const tunnel = await open({ jump: passwordHop(), bastion: passwordHop() });
    expect(await selectOneThrough(tunnel)).toBe(1);

    const wrongJump = await openFails({ jump: passwordHop('wrong-jump-password'), bastion: passwordHop() });
    expect(wrongJump.field).toBe('secrets.jumpPassword');
    expect(wrongJump.message).toContain(`The jump host ${sshd.host}:${sshd.port} did not accept`);
  });

  it('says the bastion cannot reach the database when nothing listens at the target', async () => {
    await trustCurrentHostKey();
    const closedPort = await closedLocalPort();
    const error = await openFails({ target: { host: '127.0.0.1', port: closedPort } });
    expect(error.code).toBe('CONNECTION');
    expect(error.message).toMatch(
      new RegExp(
        `^The SSH server ${sshd.host}:${sshd.port} could not reach the database at 127\\.0\\.0\\.1:${closedPort} \\(.+\\)\\. Check the database host as the bastion sees it\\.$`,
      ),
    );
  });

  async function closedLocalPort(): Promise<number> {
    return new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
  }

  it('names the SSH host, not the database, when the SSH server cannot be reached or is not one', async () => {
    const closedPort = await closedLocalPort();
    const refused = await openFails({ bastion: { ...passwordHop(), port: closedPort } });
    expect(refused.code).toBe('CONNECTION');
    expect(refused.message).toContain(`Nothing is accepting SSH connections at 127.0.0.1:${closedPort}`);

    // A server that accepts and never says a word.
    const silentSockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      silentSockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of silentSockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const silentPort = (silent.address() as net.AddressInfo).port;
    const timedOut = await openFails({ bastion: { ...passwordHop(), port: silentPort }, readyTimeoutMs: 300 });
    expect(timedOut.code).toBe('CONNECTION');
    expect(timedOut.message).toContain(`The SSH server 127.0.0.1:${silentPort} did not answer within`);

    // The database's port given as the SSH port.
    const notSsh = await openFails({ bastion: { ...passwordHop(), port: database().port } });
    expect(notSsh.code).toBe('CONNECTION');
    expect(notSsh.message).toContain(`The SSH server 127.0.0.1:${database().port} did not answer like an SSH server`);
  });

  it('says no SSH agent is running when SSH_AUTH_SOCK is not set', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    cleanups.push(async () => {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    });
    const error = await openFails({ jump: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'agent' }, bastion: passwordHop() });
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe('ssh.jump.auth');
    expect(error.message).toContain('No SSH agent is running');
  });
});
