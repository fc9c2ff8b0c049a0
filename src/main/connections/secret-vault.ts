import path from 'node:path';
import { z } from 'zod';
import { SECRET_NAMES, type SecretName, type SecretStorage, type SecretsInput } from '../../shared/contract/connections';
import { AppError } from '../errors/app-error';
import { JsonFile } from '../settings/json-file';

/**
 * The desktop's secret store, as Electron's safeStorage offers it: the key lives in the OS
 * (Keychain, DPAPI, GNOME Keyring / KWallet), so the file alone reveals nothing.
 */
export interface SecretCipher {
  /** False when there is no OS store (Linux's `basic_text` backend): then nothing is written. */
  available: boolean;
  /** For people: which store, or why there is none. */
  detail: string;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

type Secrets = Partial<Record<SecretName, string>>;

const secretsFileSchema = z.object({
  /** Profile id → secret name → base64 of what the OS store encrypted. Never plain text. */
  encrypted: z.record(z.string(), z.partialRecord(z.enum(SECRET_NAMES), z.string())).default({}),
});

/**
 * Passwords and passphrases of saved profiles. With an OS secret store they are encrypted into
 * `secrets.json` (0600); without one (browser mode, `basic_text`) they are kept in memory until
 * Simple DB quits, and only after the admin agreed to that. Values never leave the main process:
 * the window only learns which secrets are saved.
 */
export class SecretVault {
  private readonly json: JsonFile<typeof secretsFileSchema>;
  private readonly memory = new Map<string, Secrets>();

  constructor(
    file: string,
    private readonly cipher: SecretCipher | null,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.json = new JsonFile(file, secretsFileSchema, { encrypted: {} }, log);
  }

  static inDataDir(dataDir: string, cipher: SecretCipher | null, log?: (message: string) => void): SecretVault {
    return new SecretVault(path.join(dataDir, 'secrets.json'), cipher, log);
  }

  storage(): SecretStorage {
    if (this.cipher?.available) return { kind: 'os', detail: this.cipher.detail };
    return {
      kind: 'memory',
      detail: this.cipher ? this.cipher.detail : 'browser mode cannot reach the desktop’s secret store',
    };
  }

  /** The saved secrets of a profile, decrypted (one that cannot be decrypted counts as not saved). */
  async get(profileId: string): Promise<Secrets> {
    const secrets: Secrets = { ...this.memory.get(profileId) };
    if (!this.cipher?.available) return secrets;
    const stored = (await this.json.read()).encrypted[profileId] ?? {};
    for (const [name, value] of Object.entries(stored) as [SecretName, string][]) {
      try {
        secrets[name] ??= this.cipher.decrypt(Buffer.from(value, 'base64'));
      } catch {
        this.log(`a saved ${name} of connection ${profileId} cannot be decrypted (the OS secret store changed?); it must be entered again`);
      }
    }
    return secrets;
  }

  async names(profileId: string): Promise<SecretName[]> {
    return Object.keys(await this.get(profileId)) as SecretName[];
  }

  /** Without an OS store, a secret is only kept once the admin agreed to memory-only storage. */
  assertCanKeep(input: SecretsInput, options: { keepInMemory: boolean }): void {
    const setting = Object.values(input).some((value) => typeof value === 'string' && value !== '');
    if (setting && !this.cipher?.available && !options.keepInMemory) {
      throw new AppError(
        'VALIDATION',
        `There is no OS secret store here (${this.storage().detail}), so Simple DB can keep passwords only in memory until it quits. Agree to that, or leave the password empty: ~/.pgpass is used, or you are asked when connecting.`,
        { field: 'keepSecretsInMemory' },
      );
    }
  }

  /** Applies what the form sent: a string sets a secret, null (or '') forgets it, absent keeps it. */
  async set(profileId: string, input: SecretsInput, options: { keepInMemory: boolean }): Promise<void> {
    this.assertCanKeep(input, options);
    const changes = Object.entries(input).filter(([, value]) => value !== undefined) as [SecretName, string | null][];
    if (changes.length === 0) return;
    const inMemory = { ...this.memory.get(profileId) };
    for (const [name, value] of changes) {
      if (value === null || value === '') delete inMemory[name];
      else if (!this.cipher?.available) inMemory[name] = value;
    }
    this.memory.set(profileId, inMemory);
    if (!this.cipher?.available) return;
    const cipher = this.cipher;
    await this.json.update((contents) => {
      const entry = { ...contents.encrypted[profileId] };
      for (const [name, value] of changes) {
        if (value === null || value === '') delete entry[name];
        else entry[name] = cipher.encrypt(value).toString('base64');
      }
      contents.encrypted[profileId] = entry;
    });
  }

  async forget(profileId: string): Promise<void> {
    this.memory.delete(profileId);
    if (!this.cipher?.available) return;
    await this.json.update((contents) => {
      delete contents.encrypted[profileId];
    });
  }
}
