import fs from 'node:fs/promises';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, utils, type AlgorithmList, type ClientChannel, type ConnectConfig, type HostVerifier, type ServerHostKeyAlgorithm } from 'ssh2';
import type { HostKey } from '../../../shared/errors';
import { AppError } from '../../errors/app-error';
import { hopLabel, hostPort, jumpForwardError, keyFileError, noAgentError, targetForwardError, translateSshError, type HopRole } from './errors';
import { fingerprintOf, type KnownHosts } from './known-hosts';

export interface SshHopCredentials {
  host: string;
  port: number;
  user: string;
  auth: 'password' | 'key' | 'agent';
  /** auth password */
  password?: string;
  /** auth key: the private key file's path (read here). */
  privateKeyFile?: string;
  /** For an encrypted private key. */
  passphrase?: string;
  /** auth agent: the agent's socket; by default SSH_AUTH_SOCK (on Windows, OpenSSH's agent pipe). */
  agentSocket?: string;
}

export interface SshTunnelOptions {
  /** The bastion, and optionally a jump host in front of it (ssh -J jump bastion). */
  bastion: SshHopCredentials;
  jump?: SshHopCredentials;
  /** Where the database is, as the bastion sees it. */
  target: { host: string; port: number };
  knownHosts: KnownHosts;
  log: (line: string) => void;
  /** How long one hop may take from TCP connect to logged in; default 10 s. */
  readyTimeoutMs?: number;
}

export interface SshTunnel {
  readonly localHost: '127.0.0.1';
  readonly localPort: number;
  /** Resolves once the SSH session(s) are up again (reconnecting if dropped); rejects with the translated error. */
  ensureConnected(): Promise<void>;
  /** Called whenever the SSH session drops (with a message for people). */
  onDropped(listener: (message: string) => void): () => void;
  /**
   * The latest failure behind a local connection that was cut (a reconnect or a channel to the
   * database that failed), or null once one went through: what PostgreSQL's client cannot know
   * when it only sees its connection closed.
   */
  lastError(): AppError | null;
  close(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 10_000;
const KEEPALIVE_INTERVAL_MS = 10_000;
const KEEPALIVE_COUNT_MAX = 3;
/** How long close() lets an SSH session say goodbye before cutting its socket. */
const CLOSE_GRACE_MS = 2_000;

interface Hop {
  role: HopRole;
  credentials: SshHopCredentials;
}

/** One set of SSH sessions: the jump host's (if any), then the bastion's through it. */
interface Session {
  clients: Client[];
  bastion: Client;
}

/**
 * Opens the SSH session(s), checks that the bastion reaches the database, and listens on
 * 127.0.0.1 on a free port: every connection there is forwarded to `target` through the bastion.
 * Rejects with an AppError for people (an unknown or changed host key, a refused login, an
 * unreachable host or database…); nothing is left open then.
 */
export async function openSshTunnel(options: SshTunnelOptions): Promise<SshTunnel> {
  const tunnel = new Tunnel(options);
  try {
    await tunnel.start();
  } catch (error) {
    await tunnel.close();
    throw error;
  }
  return tunnel;
}

class Tunnel implements SshTunnel {
  readonly localHost = '127.0.0.1' as const;
  private port = 0;
  private server: net.Server | null = null;
  private session: Session | null = null;
  private connecting: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private failure: AppError | null = null;
  /** After a failed attempt, no new one before this time (ms since epoch): the failure is answered at once. */
  private retryNotBefore = 0;
  private failedAttempts = 0;
  private readonly sockets = new Set<net.Socket>();
  /** Clients still logging in: close() cuts them rather than wait for their timeout. */
  private readonly pending = new Set<Client>();
  private readonly droppedListeners = new Set<(message: string) => void>();
  private readonly readyTimeoutMs: number;
  private readonly bastion: Hop;
  private readonly jump: Hop | null;

  constructor(private readonly options: SshTunnelOptions) {
    this.readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.bastion = { role: 'bastion', credentials: options.bastion };
    this.jump = options.jump ? { role: 'jump', credentials: options.jump } : null;
  }

  get localPort(): number {
    return this.port;
  }

  private get closed(): boolean {
    return this.closing !== null;
  }

  private log(line: string): void {
    try {
      this.options.log(`SSH tunnel: ${line}`);
    } catch {
      // A failing logger must not break the tunnel.
    }
  }

  async start(): Promise<void> {
    await this.ensureConnected();
    await this.probeTarget();
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    server.on('error', (error) => this.log(`local listener error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.localHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    const { target } = this.options;
    this.log(
      `listening on ${this.localHost}:${this.port}, forwarding to ${hostPort(target.host, target.port)} through ${this.describe(this.bastion)}`,
    );
  }

  ensureConnected(): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (this.session) return Promise.resolve();
    // Every local socket asks; a bastion that is down must not get a login per socket (nor a
    // refused password a retry per socket): wait 1 s, 2 s, 4 s… up to 15 s between attempts.
    if (!this.connecting && this.failure && Date.now() < this.retryNotBefore) return Promise.reject(this.failure);
    if (!this.connecting) {
      this.connecting = this.establish().then(
        (session) => {
          this.connecting = null;
          if (this.closed) {
            void endClients(session.clients);
            throw closedError();
          }
          this.session = session;
          this.failure = null;
          this.failedAttempts = 0;
          this.log(`connected through ${[this.jump, this.bastion].flatMap((hop) => (hop ? [this.describe(hop)] : [])).join(' → ')}`);
        },
        (error: unknown) => {
          this.connecting = null;
          const translated = error instanceof AppError ? error : new AppError('CONNECTION', String(error), { cause: error });
          this.failure = translated;
          this.failedAttempts += 1;
          this.retryNotBefore = Date.now() + Math.min(1_000 * 2 ** (this.failedAttempts - 1), 15_000);
          this.log(`connecting failed: ${translated.message}`);
          throw translated;
        },
      );
    }
    return this.connecting;
  }

  onDropped(listener: (message: string) => void): () => void {
    this.droppedListeners.add(listener);
    return () => this.droppedListeners.delete(listener);
  }

  lastError(): AppError | null {
    return this.failure;
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      const server = this.server;
      const serverClosed = new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
      for (const socket of this.sockets) socket.destroy();
      const session = this.session;
      this.session = null;
      const ended = session ? endClients(session.clients) : Promise.resolve();
      for (const client of this.pending) client.destroy();
      await this.connecting?.catch(() => undefined);
      await Promise.all([serverClosed, ended]);
      this.log('closed');
    })();
    return this.closing;
  }

  private describe(hop: Hop): string {
    return `${hop.credentials.user}@${hostPort(hop.credentials.host, hop.credentials.port)}`;
  }

  // ── SSH sessions ────────────────────────────────────────────────────────────────────────────

  private async establish(): Promise<Session> {
    const clients: Client[] = [];
    try {
      let sock: Duplex | undefined;
      if (this.jump) {
        const jumpClient = await this.connectHop(this.jump);
        clients.push(jumpClient);
        const bastion = this.bastion.credentials;
        sock = await forwardOut(jumpClient, bastion.host, bastion.port).catch((error: unknown) => {
          throw jumpForwardError(this.jump!.credentials, bastion, error);
        });
      }
      const bastionClient = await this.connectHop(this.bastion, sock);
      clients.push(bastionClient);
      const session: Session = { clients, bastion: bastionClient };
      this.watch(session);
      return session;
    } catch (error) {
      void endClients(clients);
      throw error;
    }
  }

  /** Drops the session the first time any of its clients closes. */
  private watch(session: Session): void {
    const hops = this.jump ? [this.jump, this.bastion] : [this.bastion];
    session.clients.forEach((client, index) => {
      const hop = hops[index]!;
      let reason: string | null = null;
      client.on('error', (error: Error) => {
        reason ??= error.message;
        this.log(`${this.describe(hop)}: ${error.message}`);
      });
      client.on('close', () => this.dropped(session, hop, reason ?? 'the SSH server closed the connection'));
    });
  }

  private dropped(session: Session, hop: Hop, reason: string): void {
    if (this.session !== session) return;
    this.session = null;
    void endClients(session.clients);
    if (this.closed) return;
    const message = `The SSH tunnel through ${this.describe(hop)} dropped (${reason}).`;
    this.log(`${message} It is reconnected on the next connection.`);
    for (const listener of [...this.droppedListeners]) {
      try {
        listener(message);
      } catch (error) {
        this.log(`a dropped listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** One hop, logged in with its host key verified; over `sock` (a channel through the jump host) if given. */
  private async connectHop(hop: Hop, sock?: Duplex): Promise<Client> {
    const { credentials, role } = hop;
    const auth = await this.authConfig(hop);
    const known = await this.options.knownHosts.lookup(credentials.host, credentials.port);
    const preferred = known ? preferHostKeyType(known.algorithm) : undefined;
    const knownHosts = this.options.knownHosts;
    if (this.closed) throw closedError();
    const client = newClient();
    let verdict: AppError | null = null;

    const hostVerifier: HostVerifier = (key, verify) => {
      const algorithm = keyAlgorithm(key);
      const keyBase64 = key.toString('base64');
      knownHosts.check(credentials.host, credentials.port, algorithm, keyBase64).then(
        (result) => {
          if (result.status === 'trusted') {
            verify(true);
            return;
          }
          verdict = hostKeyError(credentials, role, { algorithm, key, keyBase64 }, result.status === 'changed' ? result.previousFingerprint : null);
          verify(false);
        },
        (error: unknown) => {
          verdict =
            error instanceof AppError ? error : new AppError('INTERNAL', `Checking the SSH host key failed: ${String(error)}`, { cause: error });
          verify(false);
        },
      );
    };

    return new Promise<Client>((resolve, reject) => {
      let settled = false;
      this.pending.add(client);
      const fail = (error: AppError) => {
        if (settled) return;
        settled = true;
        this.pending.delete(client);
        void endClients([client]);
        reject(this.closed ? closedError() : error);
      };
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        this.pending.delete(client);
        resolve(client);
      });
      // Stays attached for the client's life: ssh2 must never emit an 'error' nobody listens to.
      client.on('error', (error: Error) => fail(verdict ?? translateSshError(error, credentials, role, this.readyTimeoutMs)));
      client.on('close', () =>
        fail(verdict ?? new AppError('CONNECTION', `${hopLabel(credentials, role)} closed the connection before Simple DB could log in.`)),
      );
      client.on('keyboard-interactive', (_name, _instructions, _language, prompts, finish) => {
        // Servers that ask for the password through keyboard-interactive (PAM) get the same password.
        finish(prompts.map(() => (credentials.auth === 'password' ? (credentials.password ?? '') : '')));
      });
      try {
        client.connect({
          ...auth,
          ...(sock ? { sock } : { host: credentials.host, port: credentials.port }),
          username: credentials.user,
          readyTimeout: this.readyTimeoutMs,
          keepaliveInterval: KEEPALIVE_INTERVAL_MS,
          keepaliveCountMax: KEEPALIVE_COUNT_MAX,
          hostVerifier,
          ...(preferred ? { algorithms: { serverHostKey: preferred } } : {}),
        });
      } catch (error) {
        fail(translateSshError(error, credentials, role, this.readyTimeoutMs));
      }
    });
  }

  /** The authentication part of ssh2's config; the key file and agent socket are checked first, for a precise message. */
  private async authConfig(hop: Hop): Promise<ConnectConfig> {
    const { credentials, role } = hop;
    switch (credentials.auth) {
      case 'password':
        return { password: credentials.password ?? '', tryKeyboard: true };
      case 'key': {
        if (!credentials.privateKeyFile) throw keyFileError(credentials, role, 'unreadable');
        let data: Buffer;
        try {
          data = await fs.readFile(credentials.privateKeyFile);
        } catch (error) {
          throw keyFileError(credentials, role, 'unreadable', error);
        }
        const parsed = utils.parseKey(data, credentials.passphrase || undefined);
        if (parsed instanceof Error) {
          if (/no passphrase given/i.test(parsed.message)) throw keyFileError(credentials, role, 'needsPassphrase', parsed);
          if (/passphrase|decrypt/i.test(parsed.message)) throw keyFileError(credentials, role, 'wrongPassphrase', parsed);
          throw keyFileError(credentials, role, 'notPrivate', parsed);
        }
        const key = Array.isArray(parsed) ? (parsed as unknown[])[0] : parsed;
        if (!key || (key as { getPrivatePEM(): string | null }).getPrivatePEM() === null) {
          throw keyFileError(credentials, role, 'notPrivate');
        }
        return { privateKey: data, ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}) };
      }
      case 'agent': {
        const socket = credentials.agentSocket || process.env.SSH_AUTH_SOCK || (process.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : '');
        if (!socket) throw noAgentError(role, undefined);
        if (process.platform !== 'win32') {
          const stat = await fs.stat(socket).catch(() => null);
          if (!stat?.isSocket()) throw noAgentError(role, socket);
        }
        return { agent: socket };
      }
    }
  }

  // ── Forwarding ──────────────────────────────────────────────────────────────────────────────

  /** Opens (and closes) one channel to the database, so a wrong database host fails at open time with its own message. */
  private async probeTarget(): Promise<void> {
    const session = this.session;
    if (!session) throw closedError();
    const { target } = this.options;
    const channel = await forwardOut(session.bastion, target.host, target.port).catch((error: unknown) => {
      throw targetForwardError(this.bastion.credentials, target, error);
    });
    channel.on('error', () => undefined);
    channel.close();
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (error) => this.log(`local connection error: ${error.message}`));
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.ensureConnected().then(
      () => this.forward(socket),
      () => socket.destroy(), // logged by ensureConnected; lastError() has it
    );
  }

  private forward(socket: net.Socket): void {
    const session = this.session;
    if (!session || socket.destroyed) {
      socket.destroy();
      return;
    }
    const { target } = this.options;
    session.bastion.forwardOut('127.0.0.1', 0, target.host, target.port, (error, channel) => {
      if (error) {
        const translated = targetForwardError(this.bastion.credentials, target, error);
        this.failure = translated;
        this.log(translated.message);
        socket.destroy();
        return;
      }
      channel.on('error', (channelError: Error) => {
        this.log(`channel error: ${channelError.message}`);
        socket.destroy();
      });
      if (socket.destroyed || this.closed) {
        channel.close();
        return;
      }
      this.failure = null;
      // The database's end closing: let what it sent reach the client first.
      channel.on('close', () => socket.end());
      socket.on('close', () => channel.close());
      socket.pipe(channel).pipe(socket);
    });
  }
}

function closedError(): AppError {
  return new AppError('CONNECTION', 'The SSH tunnel is closed.');
}

/** Clients whose connection has closed: nothing left to end. */
const closedClients = new WeakSet<Client>();

function newClient(): Client {
  const client = new Client();
  client.on('close', () => closedClients.add(client));
  return client;
}

/** Ends each client, waiting briefly for it to close before cutting its socket. */
function endClients(clients: Client[]): Promise<void> {
  return Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (closedClients.has(client)) {
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            client.destroy();
            resolve();
          }, CLOSE_GRACE_MS);
          timer.unref();
          client.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          client.end();
        }),
    ),
  ).then(() => undefined);
}

function forwardOut(client: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** The key type named by a host key blob's first string (RFC 4253 §6.6). */
function keyAlgorithm(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  if (length === 0 || 4 + length > key.length) return 'unknown';
  return key.subarray(4, 4 + length).toString('latin1');
}

const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Ask for the recorded key's type first, so a server with several host keys shows the one on record. */
function preferHostKeyType(keyType: string): AlgorithmList<ServerHostKeyAlgorithm> | undefined {
  const wanted = keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
  const algorithms = HOST_KEY_ALGORITHMS.filter((algorithm) => wanted.includes(algorithm));
  if (algorithms.length !== wanted.length) return undefined;
  // ssh2 applies these in this order: out of the default list, then back in at its head.
  return { remove: algorithms, prepend: algorithms, append: [] };
}

function hostKeyError(
  hop: SshHopCredentials,
  role: HopRole,
  presented: { algorithm: string; key: Buffer; keyBase64: string },
  previousFingerprint: string | null,
): AppError {
  const fingerprint = fingerprintOf(presented.key);
  const where = `${role === 'jump' ? 'jump host' : 'SSH server'} ${hostPort(hop.host, hop.port)}`;
  const hostKey: HostKey = {
    host: hop.host,
    port: hop.port,
    algorithm: presented.algorithm,
    fingerprint,
    key: presented.keyBase64,
    changed: previousFingerprint !== null,
    ...(previousFingerprint !== null ? { previousFingerprint } : {}),
  };
  if (previousFingerprint === null) {
    return new AppError(
      'CONNECTION',
      `The ${where} is not known yet. Compare its key fingerprint ${fingerprint} with the one its admin gives you, then trust it.`,
      { offer: 'trustHostKey', hostKey },
    );
  }
  return new AppError(
    'CONNECTION',
    `WARNING: the ${where} presented a different host key than before: it was ${previousFingerprint}, now it is ${fingerprint} (${presented.algorithm}). Someone may be intercepting the connection (a man-in-the-middle attack), so Simple DB did not connect. If the server was really reinstalled or its key replaced, ask its admin for the new fingerprint and trust the new key explicitly.`,
    { hostKey },
  );
}
