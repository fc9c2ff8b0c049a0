import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
export const SSH_TEST_USER = 'simpledb_ssh';
export const SSH_TEST_PASSWORD = 'tunnel-Test-pw-4711';
const KEY_PASSPHRASE = 'key-Test-passphrase-0815';

/**
 * A real OpenSSH server needs root (it switches to the user it logs in) and the binary; the
 * tests that use one are skipped elsewhere.
 */
export const sshdAvailable = process.getuid?.() === 0 && fs.existsSync(SSHD);

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** A private key in authorized_keys, encrypted with `passphrase`. */
  userKeyFile: string;
  passphrase: string;
  /** A private key in authorized_keys, without a passphrase (for ssh-agent). */
  plainKeyFile: string;
  /** The current host key's `.pub` file and its fingerprint as `ssh-keygen -lf` prints it. */
  hostKeyPubFile: string;
  hostKeyFingerprint: string;
  /** The directory everything lives in (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
  /** Stops the server, gives it a new host key and starts it again on the same port. */
  restartWithNewHostKey(): Promise<void>;
  /** Kills the per-connection sshd processes: every established session drops, the server keeps listening. */
  killSessions(): Promise<void>;
}

async function keygen(file: string, type: string, passphrase: string): Promise<void> {
  await fsp.rm(file, { force: true });
  await fsp.rm(`${file}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'simple-db-test', '-f', file]);
}

/** `SHA256:…` from `ssh-keygen -lf` ("256 SHA256:… comment (ED25519)"). */
export async function sshKeygenFingerprint(pubFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', pubFile]);
  const fingerprint = stdout.split(/\s+/)[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output: ${stdout}`);
  return fingerprint;
}

async function ensureTestUser(): Promise<void> {
  const exists = await run('id', ['-u', SSH_TEST_USER]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await run('useradd', ['-m', '-s', '/bin/sh', SSH_TEST_USER]).catch(async (error: unknown) => {
      // Another test process may have created it in between.
      const nowExists = await run('id', ['-u', SSH_TEST_USER]).then(
        () => true,
        () => false,
      );
      if (!nowExists) throw error;
    });
  }
  const chpasswd = spawn('chpasswd', [], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  chpasswd.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  chpasswd.stdin.end(`${SSH_TEST_USER}:${SSH_TEST_PASSWORD}\n`);
  const code = await new Promise<number | null>((resolve) => chpasswd.on('close', resolve));
  if (code !== 0) throw new Error(`chpasswd failed: ${stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** OpenSSH 9.8 and later penalise sources that fail logins or whose sessions crash: our tests do both on purpose. */
async function penaltyOptions(): Promise<string[]> {
  const { stderr } = await run(SSHD, ['-V']).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  const match = /OpenSSH_(\d+)\.(\d+)/.exec(stderr);
  if (!match) return [];
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 9 || (major === 9 && minor >= 8) ? ['PerSourcePenalties no'] : [];
}

/** Pids of the processes whose parent is `pid`, and theirs, and so on. */
async function descendantsOf(pid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const entry of await fsp.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await fsp.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const result: number[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      result.push(child);
      walk(child);
    }
  };
  walk(pid);
  return result;
}

/** Starts a real sshd on 127.0.0.1 (a free port) with throwaway host and user keys. */
export async function startSshd(options: { hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa' } = {}): Promise<TestSshd> {
  if (!sshdAvailable) throw new Error('sshd tests need root and /usr/sbin/sshd');
  const hostKeyType = options.hostKeyType ?? 'ed25519';
  await fsp.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await ensureTestUser();

  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'simple-db-sshd-'));
  // sshd reads authorized_keys as the logged-in user: it must be able to get there.
  await fsp.chmod(dir, 0o755);
  const hostKeyFile = path.join(dir, 'host_key');
  const userKeyFile = path.join(dir, 'user_key');
  const plainKeyFile = path.join(dir, 'plain_key');
  const authorizedKeys = path.join(dir, 'authorized_keys');
  const config = path.join(dir, 'sshd_config');
  await keygen(hostKeyFile, hostKeyType, '');
  await keygen(userKeyFile, 'ed25519', KEY_PASSPHRASE);
  await keygen(plainKeyFile, 'ed25519', '');
  const publicKeys = await Promise.all([fsp.readFile(`${userKeyFile}.pub`, 'utf8'), fsp.readFile(`${plainKeyFile}.pub`, 'utf8')]);
  await fsp.writeFile(authorizedKeys, publicKeys.join(''), { mode: 0o644 });

  const port = await freePort();
  await fsp.writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'PubkeyAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${SSH_TEST_USER}`,
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      'PermitTTY no',
      'LogLevel INFO',
      ...(await penaltyOptions()),
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    output = '';
    const process_ = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = process_;
    await new Promise<void>((resolve, reject) => {
      process_.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server listening on')) resolve();
      });
      process_.once('error', reject);
      process_.once('exit', (code, signal) => reject(new Error(`sshd exited (${code ?? signal}) before listening:\n${output}`)));
    });
  };

  const stopServer = async () => {
    const current = child;
    child = null;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    // The listener first (so nothing new is accepted), then whatever sessions it left.
    const sessions = current.pid ? await descendantsOf(current.pid) : [];
    current.kill('SIGTERM');
    await exited;
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  };

  await start();
  const sshd: TestSshd = {
    host: '127.0.0.1',
    port,
    user: SSH_TEST_USER,
    password: SSH_TEST_PASSWORD,
    userKeyFile,
    passphrase: KEY_PASSPHRASE,
    plainKeyFile,
    hostKeyPubFile: `${hostKeyFile}.pub`,
    hostKeyFingerprint: await sshKeygenFingerprint(`${hostKeyFile}.pub`),
    dir,
    async stop() {
      await stopServer();
      await fsp.rm(dir, { recursive: true, force: true });
    },
    async restartWithNewHostKey() {
      await stopServer();
      await keygen(hostKeyFile, hostKeyType, '');
      sshd.hostKeyFingerprint = await sshKeygenFingerprint(`${hostKeyFile}.pub`);
      await start();
    },
    async killSessions() {
      const pid = child?.pid;
      if (!pid) return;
      for (const session of await descendantsOf(pid)) {
        try {
          process.kill(session, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    },
  };
  return sshd;
}

/** A throwaway ssh-agent holding `keyFile`; `stop()` kills it and removes its socket. */
export async function startSshAgent(keyFile: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'simple-db-agent-'));
  const socket = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => agent.once('exit', () => resolve()));
  const stop = async () => {
    if (agent.exitCode === null && agent.signalCode === null) {
      agent.kill('SIGTERM');
      await exited;
    }
    await fsp.rm(dir, { recursive: true, force: true });
  };
  try {
    // With -D the agent prints its SSH_AUTH_SOCK line once the socket is listening.
    await new Promise<void>((resolve, reject) => {
      let output = '';
      agent.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('SSH_AUTH_SOCK')) resolve();
      });
      agent.once('error', reject);
      agent.once('exit', (code) => reject(new Error(`ssh-agent exited (${code}) before listening: ${output}`)));
    });
    await run('ssh-add', [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, stop };
}
