import { AppError } from '../../errors/app-error';

/** The bastion is the SSH server that reaches the database; a jump host, if any, is the one in front of it (`ssh -J`). */
export type HopRole = 'bastion' | 'jump';

/** What a message may name about a hop: never its password or passphrase. */
export interface HopIdentity {
  host: string;
  port: number;
  user: string;
  auth: 'password' | 'key' | 'agent';
  privateKeyFile?: string;
}

/** The profile form's fields for each hop, so the window can point at the one to fix. */
export function hopFields(role: HopRole): { host: string; user: string; auth: string; privateKeyFile: string; password: string; passphrase: string } {
  return role === 'jump'
    ? {
        host: 'ssh.jump.host',
        user: 'ssh.jump.user',
        auth: 'ssh.jump.auth',
        privateKeyFile: 'ssh.jump.privateKeyFile',
        password: 'secrets.jumpPassword',
        passphrase: 'secrets.jumpPassphrase',
      }
    : {
        host: 'ssh.host',
        user: 'ssh.user',
        auth: 'ssh.auth',
        privateKeyFile: 'ssh.privateKeyFile',
        password: 'secrets.sshPassword',
        passphrase: 'secrets.sshPassphrase',
      };
}

/** `host:port`, with an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "The SSH server example.com:22" or "The jump host jump.example.com:22". */
export function hopLabel(hop: HopIdentity, role: HopRole): string {
  return `${role === 'jump' ? 'The jump host' : 'The SSH server'} ${hostPort(hop.host, hop.port)}`;
}

interface SshErrorLike {
  message?: string;
  level?: string;
  code?: string | number;
  reason?: string | number;
}

function asSshError(error: unknown): SshErrorLike {
  return typeof error === 'object' && error !== null ? error : { message: String(error) };
}

/** The private key file (or its passphrase) cannot be used, found before any connection is made. */
export function keyFileError(
  hop: HopIdentity,
  role: HopRole,
  problem: 'unreadable' | 'notPrivate' | 'needsPassphrase' | 'wrongPassphrase',
  cause?: unknown,
): AppError {
  const fields = hopFields(role);
  const file = hop.privateKeyFile ?? '';
  switch (problem) {
    case 'needsPassphrase':
      return new AppError('VALIDATION', `The private key ${file} is protected by a passphrase. Enter its passphrase.`, {
        field: fields.passphrase,
        cause,
      });
    case 'wrongPassphrase':
      return new AppError('VALIDATION', `The passphrase does not unlock the private key ${file}. Check the key's passphrase.`, {
        field: fields.passphrase,
        cause,
      });
    case 'notPrivate':
      return new AppError(
        'VALIDATION',
        `${file} is not a private key Simple DB can use (an OpenSSH, PEM or PuTTY private key; not the .pub file). Choose the private key file.`,
        { field: fields.privateKeyFile, cause },
      );
    case 'unreadable': {
      const code = asSshError(cause).code;
      const why =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : code === 'EISDIR'
              ? 'is a folder, not a key file'
              : `cannot be read (${asSshError(cause).message ?? 'unknown error'})`;
      return new AppError('VALIDATION', `The private key file ${file || '(none chosen)'} ${why}. Choose the private key file.`, {
        field: fields.privateKeyFile,
        cause,
      });
    }
  }
}

/** Agent authentication with no agent to talk to. */
export function noAgentError(role: HopRole, socket: string | undefined, cause?: unknown): AppError {
  const message = socket
    ? `No SSH agent is listening at ${socket}. Start your SSH agent and add your key (ssh-add), or choose a key file instead.`
    : 'No SSH agent is running for Simple DB (SSH_AUTH_SOCK is not set). Start your SSH agent and add your key (ssh-add) before starting Simple DB, or choose a key file instead.';
  return new AppError('VALIDATION', message, { field: hopFields(role).auth, cause });
}

function authFailure(hop: HopIdentity, role: HopRole, cause: unknown): AppError {
  const fields = hopFields(role);
  const where = hopLabel(hop, role);
  switch (hop.auth) {
    case 'password':
      return new AppError('CONNECTION', `${where} did not accept ${hop.user}'s password. Check the SSH user name and password.`, {
        field: fields.password,
        cause,
      });
    case 'key':
      return new AppError(
        'CONNECTION',
        `${where} did not accept ${hop.user}'s key ${hop.privateKeyFile ?? ''}. Check the SSH user name, and that the key's public half is in ${hop.user}'s ~/.ssh/authorized_keys on that server.`,
        { field: fields.privateKeyFile, cause },
      );
    case 'agent':
      return new AppError(
        'CONNECTION',
        `${where} did not accept any key from the SSH agent for ${hop.user}. Check the SSH user name, and that the agent holds the right key (ssh-add -l lists them).`,
        { field: fields.user, cause },
      );
  }
}

/** Any failure to bring one hop's SSH session up, in words for people (never a secret: ssh2's messages hold none). */
export function translateSshError(error: unknown, hop: HopIdentity, role: HopRole, readyTimeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  const { message = 'unknown error', level, code } = asSshError(error);
  const where = hopLabel(hop, role);
  const fields = hopFields(role);
  if (level === 'client-authentication') return authFailure(hop, role, error);
  if (level === 'agent') {
    return new AppError('VALIDATION', `The SSH agent could not be used (${message}). Check that it is running and holds your key (ssh-add -l).`, {
      field: fields.auth,
      cause: error,
    });
  }
  if (level === 'client-timeout') {
    return new AppError(
      'CONNECTION',
      `${where} did not answer within ${Math.round(readyTimeoutMs / 1000)} s. Check the SSH host and port, and the network or firewall between here and it.`,
      { cause: error },
    );
  }
  if (level === 'client-dns') {
    return new AppError('CONNECTION', `The SSH host ${hop.host} cannot be found. Check its name.`, { field: fields.host, cause: error });
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError('CONNECTION', `The SSH host ${hop.host} cannot be found. Check its name.`, { field: fields.host, cause: error });
    case 'ECONNREFUSED':
      return new AppError(
        'CONNECTION',
        `Nothing is accepting SSH connections at ${hostPort(hop.host, hop.port)}. Check the SSH host and port, and that the SSH server is running.`,
        { cause: error },
      );
    case 'ETIMEDOUT':
      return new AppError(
        'CONNECTION',
        `Connecting to the SSH server ${hostPort(hop.host, hop.port)} timed out. Check the SSH host and port, and the network or firewall.`,
        { cause: error },
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AppError(
        'CONNECTION',
        `The SSH server ${hostPort(hop.host, hop.port)} cannot be reached from this machine. Check the network, VPN or firewall.`,
        { cause: error },
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return new AppError(
        'CONNECTION',
        `${where} cut the connection off (${message}). Check that this is its SSH port, and that the server lets you in from here.`,
        { cause: error },
      );
  }
  if (level === 'protocol' || /identification|before handshake/i.test(message)) {
    return new AppError(
      'CONNECTION',
      `${where} did not answer like an SSH server (${message}). Check the SSH port: it is usually 22, not the database's.`,
      { cause: error },
    );
  }
  if (level === 'handshake') {
    return new AppError(
      'CONNECTION',
      `Simple DB and ${where.replace(/^The/, 'the')} could not agree on how to talk securely (${message}). The SSH server may be too old or configured with unusual algorithms.`,
      { cause: error },
    );
  }
  return new AppError('CONNECTION', `Connecting to ${where.replace(/^The/, 'the')} failed: ${message}.`, { cause: error });
}

/** The jump host could not open a channel to the bastion. */
export function jumpForwardError(jump: HopIdentity, bastion: HopIdentity, error: unknown): AppError {
  const { message = 'unknown error' } = asSshError(error);
  return new AppError(
    'CONNECTION',
    `The jump host ${hostPort(jump.host, jump.port)} could not reach the SSH server ${hostPort(bastion.host, bastion.port)} (${channelFailureText(message)}). Check the SSH server's host and port as the jump host sees them.`,
    { cause: error },
  );
}

/** The bastion could not open a channel to the database. */
export function targetForwardError(bastion: HopIdentity, target: { host: string; port: number }, error: unknown): AppError {
  const { message = 'unknown error', reason } = asSshError(error);
  const database = hostPort(target.host, target.port);
  if (reason === 1 || /prohibited/i.test(message)) {
    return new AppError(
      'CONNECTION',
      `The SSH server ${hostPort(bastion.host, bastion.port)} does not allow forwarding to the database at ${database} (${channelFailureText(message)}). Ask its admin to allow TCP forwarding (AllowTcpForwarding, PermitOpen) for ${bastion.user}.`,
      { cause: error },
    );
  }
  return new AppError(
    'CONNECTION',
    `The SSH server ${hostPort(bastion.host, bastion.port)} could not reach the database at ${database} (${channelFailureText(message)}). Check the database host as the bastion sees it.`,
    { cause: error },
  );
}

/** ssh2 says "(SSH) Channel open failure: open failed"; people need only the part after the colon. */
function channelFailureText(message: string): string {
  return message.replace(/^\(SSH\) Channel open failure:\s*/i, '').trim() || 'the channel could not be opened';
}
