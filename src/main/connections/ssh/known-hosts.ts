import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';

/** A host key's fingerprint exactly as `ssh-keygen -lf` and ssh print it: `SHA256:<base64, no padding>`. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const entrySchema = z.object({
  /** The key's type, as its blob names it: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa… */
  algorithm: z.string(),
  /** The key blob, base64 (what an OpenSSH known_hosts line holds after the type). */
  key: z.string(),
  addedAt: z.string(),
});
export type KnownHostEntry = z.infer<typeof entrySchema>;

const fileSchema = z.object({
  version: z.literal(1),
  /** Keyed by `[host]:port`, one key per SSH server. */
  hosts: z.record(z.string(), entrySchema),
});
type KnownHostsFile = z.infer<typeof fileSchema>;

export type HostKeyCheck = { status: 'trusted' } | { status: 'unknown' } | { status: 'changed'; previousFingerprint: string };

/** `[host]:port`: one spelling for every host (an IPv6 address has colons of its own). */
function entryName(host: string, port: number): string {
  return `[${host.trim().toLowerCase()}]:${port}`;
}

/**
 * The SSH servers the admin trusted, in `known_hosts.json` in the data directory (mode 0600,
 * written whole to a temporary file renamed over the old one, one write at a time). A key is only
 * ever recorded or replaced by `trust()`, which the admin calls after comparing the fingerprint:
 * an unknown server is not trusted on first use, and a changed key is refused until trusted anew.
 */
export class KnownHosts {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): KnownHosts {
    return new KnownHosts(path.join(dataDir, 'known_hosts.json'));
  }

  /** The key on record for this server, if any. */
  async lookup(host: string, port: number): Promise<KnownHostEntry | null> {
    const file = await this.read();
    return file.hosts[entryName(host, port)] ?? null;
  }

  async check(host: string, port: number, algorithm: string, keyBase64: string): Promise<HostKeyCheck> {
    const known = await this.lookup(host, port);
    if (!known) return { status: 'unknown' };
    if (known.algorithm === algorithm && known.key === keyBase64) return { status: 'trusted' };
    return { status: 'changed', previousFingerprint: fingerprintOf(Buffer.from(known.key, 'base64')) };
  }

  /** Records (or replaces) this server's key: the admin's explicit decision. */
  async trust(host: string, port: number, algorithm: string, keyBase64: string): Promise<void> {
    const write = this.writing.then(async () => {
      const file = await this.read();
      file.hosts[entryName(host, port)] = { algorithm, key: keyBase64, addedAt: new Date().toISOString() };
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      try {
        await fs.writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
        await fs.rename(temporary, this.file);
      } catch (error) {
        await fs.rm(temporary, { force: true }).catch(() => undefined);
        throw error;
      }
    });
    this.writing = write.catch(() => undefined);
    await write;
  }

  /**
   * The file as it is now (another window may have trusted a server since). A damaged file is an
   * error, never "nothing known": that would turn a changed key into a merely unknown one.
   */
  private async read(): Promise<KnownHostsFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, hosts: {} };
      throw new AppError('STORAGE', `The list of trusted SSH servers (${this.file}) cannot be read: ${(error as Error).message}.`, {
        cause: error,
      });
    }
    let raw: unknown = null;
    try {
      raw = JSON.parse(text);
    } catch {
      // Not JSON: reported as damaged just below.
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        'STORAGE',
        `The list of trusted SSH servers (${this.file}) is damaged. Fix it, or remove it and trust each SSH server again after comparing its fingerprint.`,
      );
    }
    return parsed.data;
  }
}
