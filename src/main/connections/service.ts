import type {
  ConnectionEntry,
  ConnectionTestResult,
  HostKey,
  Profile,
  ProfileDraft,
  SecretName,
  SecretStorage,
  SecretsInput,
  SshHop,
} from '../../shared/contract/connections';
import { profileSchema } from '../../shared/contract/connections';
import { describeTarget, parseDatabaseUrl, type ConnectionTarget } from '../db/target';
import { EMBEDDED_APP_ROLE, EMBEDDED_DATABASE } from '../embedded/database';
import { AppError } from '../errors/app-error';
import type { ConnectionErrorContext } from '../errors/context';
import { translateError } from '../errors/translate';
import type { JobControl } from '../jobs/registry';
import type { Logger } from '../log/logger';
import type { Connection } from './connection';
import { DATABASE_URL_CONNECTION_ID, EMBEDDED_CONNECTION_ID } from './default-connection';
import type { ConnectionManager } from './manager';
import { findPgpassPassword } from './pgpass';
import type { ProfileStore } from './profile-store';
import { openProfileTunnel, profileTarget, type Secrets } from './profile-target';
import type { SecretVault } from './secret-vault';
import { checkServerVersion, createDatabaseOn, runConnectionTest } from './server-checks';
import { fingerprintOf, type KnownHosts } from './ssh/known-hosts';

export interface ConnectionsServiceOptions {
  manager: ConnectionManager;
  profiles: ProfileStore;
  vault: SecretVault;
  knownHosts: KnownHosts;
  databaseUrl?: string | undefined;
  log: Logger;
  /** Starts the embedded server (and brings its schema up to date) when it is opened. */
  openEmbedded: () => Promise<Connection>;
  /** Titles of the jobs running on a connection (it is not closed under them). */
  runningJobs: (connectionId: string) => string[];
}

/** Whether an edit changes how the connection reaches its server (not only its name or colour). */
function reachesDifferently(before: Profile, after: ProfileDraft): boolean {
  const essentials = (profile: Profile | ProfileDraft) =>
    JSON.stringify([profile.host, profile.port, profile.database, profile.user, profile.ssl, profile.ssh ?? null, profile.readOnly]);
  return essentials(before) !== essentials(profileSchema.parse({ ...after, id: before.id }));
}

/** The secrets the admin typed just now: strings only (null and '' mean "none typed"). */
function typedSecrets(input: SecretsInput): Secrets {
  const typed: Secrets = {};
  for (const [name, value] of Object.entries(input) as [SecretName, string | null | undefined][]) {
    if (typeof value === 'string' && value !== '') typed[name] = value;
  }
  return typed;
}

/** Where a profile's errors point: its fields, its name. */
export function profileErrorContext(
  profile: Pick<Profile, 'host' | 'port' | 'database' | 'user' | 'name' | 'ssh'>,
  passwordGiven: boolean,
): ConnectionErrorContext {
  return {
    kind: 'profile',
    where: describeTarget(profile),
    user: profile.user,
    profileName: profile.name,
    ...(profile.ssh ? { tunnelled: true } : {}),
    ...(passwordGiven ? {} : { noPassword: true }),
  };
}

/**
 * The secrets to open a profile with, its password looked up in ~/.pgpass once when none was saved
 * or typed (libpq's order), and the error context that follows from whether there is one.
 */
async function withPassword(profile: Profile, secrets: Secrets): Promise<{ secrets: Secrets; context: ConnectionErrorContext }> {
  const password = secrets.password ?? (await findPgpassPassword(profile));
  return {
    secrets: password === null ? secrets : { ...secrets, password },
    context: profileErrorContext(profile, password !== null),
  };
}

/** Translates a failure while opening or testing a profile, with the hints and fields of that profile. */
function asProfileError(error: unknown, context: ConnectionErrorContext): AppError {
  if (error instanceof AppError) return error;
  return AppError.fromApiError(translateError(error, { connection: context }), error);
}

/**
 * The connections an admin can choose from: the embedded database (always first, never deleted),
 * DATABASE_URL when set, and the saved profiles; opening, closing, testing, importing them, and the
 * SSH host keys they trust. Knows nothing of Electron or HTTP.
 */
export class ConnectionsService {
  /** Opens under way, by id: a second open of the same connection joins the first. */
  private readonly opening = new Map<string, Promise<ConnectionEntry>>();

  constructor(private readonly options: ConnectionsServiceOptions) {}

  secretStorage(): SecretStorage {
    return this.options.vault.storage();
  }

  async list(): Promise<ConnectionEntry[]> {
    const entries = [this.embeddedEntry()];
    if (this.options.databaseUrl) entries.push(this.databaseUrlEntry(this.options.databaseUrl));
    for (const profile of await this.options.profiles.list()) entries.push(await this.profileEntry(profile));
    return entries;
  }

  /** The saved profiles, as the admin wrote them (for export: no secret is in them). */
  profiles(): Promise<Profile[]> {
    return this.options.profiles.list();
  }

  async entry(id: string): Promise<ConnectionEntry> {
    if (id === EMBEDDED_CONNECTION_ID) return this.embeddedEntry();
    if (id === DATABASE_URL_CONNECTION_ID && this.options.databaseUrl) return this.databaseUrlEntry(this.options.databaseUrl);
    return this.profileEntry(await this.options.profiles.get(id));
  }

  async save(input: { profile: ProfileDraft; secrets: SecretsInput; keepSecretsInMemory: boolean }): Promise<ConnectionEntry> {
    const { vault, profiles } = this.options;
    // Refuse secrets that cannot be kept before anything is written.
    vault.assertCanKeep(input.secrets, { keepInMemory: input.keepSecretsInMemory });
    const before = input.profile.id === undefined ? null : await profiles.get(input.profile.id);
    if (before && this.options.manager.isOpen(before.id) && reachesDifferently(before, input.profile)) {
      // The live pool must never keep old settings (a profile just made read-only least of all).
      await this.closeQuietly(before.id);
    }
    const profile = await profiles.save(input.profile);
    await vault.set(profile.id, input.secrets, { keepInMemory: input.keepSecretsInMemory });
    if (this.options.manager.isOpen(profile.id)) {
      const { target } = this.options.manager.get(profile.id);
      target.profileName = profile.name;
      target.color = profile.color;
    }
    this.options.log(`connection profile “${profile.name}” saved`);
    return this.profileEntry(profile);
  }

  async delete(id: string): Promise<string> {
    if (id === EMBEDDED_CONNECTION_ID)
      throw new AppError('VALIDATION', 'The embedded database cannot be deleted; it is always there.', { field: 'id' });
    if (id === DATABASE_URL_CONNECTION_ID) {
      throw new AppError('VALIDATION', 'The DATABASE_URL connection comes from the environment: unset DATABASE_URL and restart to remove it.', {
        field: 'id',
      });
    }
    const profile = await this.options.profiles.get(id);
    await this.closeQuietly(id);
    await this.options.profiles.delete(id);
    await this.options.vault.forget(id);
    this.options.log(`connection profile “${profile.name}” deleted`);
    return profile.name;
  }

  /**
   * Opens a connection (the embedded server starts when it is not running); already open is fine.
   * A second open of the same connection while the first is under way joins it.
   */
  open(id: string, typed: SecretsInput): Promise<ConnectionEntry> {
    const running = this.opening.get(id);
    if (running) return running;
    const opening = this.openNow(id, typed).finally(() => this.opening.delete(id));
    this.opening.set(id, opening);
    return opening;
  }

  private async openNow(id: string, typed: SecretsInput): Promise<ConnectionEntry> {
    const { manager } = this.options;
    if (manager.isOpen(id)) return this.entry(id);
    if (id === EMBEDDED_CONNECTION_ID) {
      try {
        await this.options.openEmbedded();
      } catch (error) {
        throw asProfileError(error, { kind: 'embedded', where: 'the embedded PostgreSQL', user: EMBEDDED_APP_ROLE });
      }
      return this.entry(id);
    }
    if (id === DATABASE_URL_CONNECTION_ID && this.options.databaseUrl) {
      const target: ConnectionTarget = { ...parseDatabaseUrl(this.options.databaseUrl), settingsIn: 'DATABASE_URL' };
      try {
        await this.checkOpened(manager.open(id, target));
      } catch (error) {
        throw asProfileError(error, { kind: 'url', where: describeTarget(target), user: target.user });
      }
      return this.entry(id);
    }
    const profile = await this.options.profiles.get(id);
    const { secrets, context } = await withPassword(profile, { ...(await this.options.vault.get(id)), ...typedSecrets(typed) });
    try {
      const tunnel = await openProfileTunnel(profile, secrets, this.options);
      try {
        // Once the manager holds the connection, closing it closes the tunnel too; until then, we do.
        const connection = manager.open(id, await profileTarget(profile, secrets, tunnel), { tunnel });
        await this.checkOpened(connection);
      } catch (error) {
        await tunnel?.close();
        throw error;
      }
    } catch (error) {
      throw asProfileError(error, context);
    }
    this.options.log(`connection profile “${profile.name}” opened`);
    return this.entry(id);
  }

  /** A connection that cannot work is closed again at once, with the reason. */
  private async checkOpened(connection: Connection): Promise<void> {
    try {
      await connection.ping();
      checkServerVersion(await connection.serverVersionNumber(), connection.address);
    } catch (error) {
      await this.options.manager.close(connection.id);
      throw error;
    }
  }

  async close(id: string): Promise<ConnectionEntry> {
    await this.closeQuietly(id);
    return this.entry(id);
  }

  /**
   * Closes a connection once an open under way has finished, and never under a running job: a
   * restore cut off half-way is what the admin must decide on (cancel it first).
   */
  private async closeQuietly(id: string): Promise<void> {
    await this.opening.get(id)?.catch(() => undefined);
    const busy = this.options.runningJobs(id);
    if (busy.length > 0) {
      throw new AppError('CONFLICT', `“${busy[0]}” is still running on this connection. Cancel it (or let it finish) before disconnecting.`);
    }
    await this.options.manager.close(id);
  }

  /** "Test connection": each step reported as it happens; nothing is kept open afterwards. */
  async test(draft: ProfileDraft, typed: SecretsInput, control: JobControl): Promise<ConnectionTestResult> {
    const profile = profileSchema.parse({ ...draft, id: draft.id ?? 'unsaved' });
    const { secrets, context } = await withPassword(profile, { ...(await this.savedSecretsFor(profile)), ...typedSecrets(typed) });
    try {
      return await runConnectionTest(profile, secrets, { knownHosts: this.options.knownHosts, log: this.options.log }, control);
    } catch (error) {
      throw asProfileError(error, context);
    }
  }

  /**
   * The saved secrets of the profile a draft edits, but only those meant for the servers the draft
   * still names: a password saved for one host is never sent to another typed into the form.
   */
  private async savedSecretsFor(draft: Profile): Promise<Secrets> {
    const saved = await this.options.profiles.get(draft.id).catch(() => null);
    if (!saved) return {};
    const secrets = await this.options.vault.get(saved.id);
    const sameHop = (a?: SshHop, b?: SshHop) => a !== undefined && b !== undefined && a.host === b.host && a.port === b.port && a.user === b.user;
    const kept: Secrets = {};
    if (saved.host === draft.host && saved.port === draft.port && saved.user === draft.user && secrets.password) kept.password = secrets.password;
    if (sameHop(saved.ssh, draft.ssh)) {
      if (secrets.sshPassword) kept.sshPassword = secrets.sshPassword;
      if (secrets.sshPassphrase) kept.sshPassphrase = secrets.sshPassphrase;
    }
    if (sameHop(saved.ssh?.jump, draft.ssh?.jump)) {
      if (secrets.jumpPassword) kept.jumpPassword = secrets.jumpPassword;
      if (secrets.jumpPassphrase) kept.jumpPassphrase = secrets.jumpPassphrase;
    }
    return kept;
  }

  /** Records an SSH server's key, exactly the one the admin was shown (its fingerprint must match). */
  async trustHostKey(key: Pick<HostKey, 'host' | 'port' | 'algorithm' | 'fingerprint' | 'key'>): Promise<void> {
    if (fingerprintOf(Buffer.from(key.key, 'base64')) !== key.fingerprint) {
      throw new AppError('VALIDATION', 'The key does not match the fingerprint shown. Connect again to see the server’s key.', {
        field: 'fingerprint',
      });
    }
    await this.options.knownHosts.trust(key.host, key.port, key.algorithm, key.key);
    this.options.log(`SSH host key of ${key.host}:${key.port} trusted (${key.fingerprint})`);
  }

  /** Creates the profile's database (the "does not exist" error offers it), then opens it. */
  async createDatabase(id: string, typed: SecretsInput = {}): Promise<ConnectionEntry> {
    const profile = await this.options.profiles.get(id);
    if (profile.readOnly) {
      throw new AppError(
        'PERMISSION',
        `“${profile.name}” is read-only: Simple DB creates nothing through it. Untick read-only to create the database.`,
      );
    }
    const { secrets, context } = await withPassword(profile, { ...(await this.options.vault.get(id)), ...typedSecrets(typed) });
    try {
      const tunnel = await openProfileTunnel(profile, secrets, this.options);
      try {
        await createDatabaseOn(await profileTarget(profile, secrets, tunnel));
      } finally {
        await tunnel?.close();
      }
    } catch (error) {
      throw asProfileError(error, context);
    }
    this.options.log(`database ${profile.database} created for connection “${profile.name}”`);
    return this.open(id, typed);
  }

  private state(id: string): Pick<ConnectionEntry, 'state' | 'message'> {
    if (!this.options.manager.isOpen(id)) return { state: 'closed' };
    const health = this.options.manager.state(id);
    return { state: health.state, ...(health.message ? { message: health.message } : {}) };
  }

  private embeddedEntry(): ConnectionEntry {
    const open = this.options.manager.isOpen(EMBEDDED_CONNECTION_ID) ? this.options.manager.get(EMBEDDED_CONNECTION_ID).target : null;
    return {
      id: EMBEDDED_CONNECTION_ID,
      kind: 'embedded',
      name: 'Embedded PostgreSQL',
      host: open?.host ?? '127.0.0.1',
      port: open?.port ?? 0,
      database: open?.database ?? EMBEDDED_DATABASE,
      user: open?.user ?? EMBEDDED_APP_ROLE,
      color: 'none',
      readOnly: false,
      savedSecrets: [],
      pgpass: false,
      ...this.state(EMBEDDED_CONNECTION_ID),
    };
  }

  private databaseUrlEntry(url: string): ConnectionEntry {
    const target = parseDatabaseUrl(url);
    return {
      id: DATABASE_URL_CONNECTION_ID,
      kind: 'url',
      name: 'DATABASE_URL',
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      color: 'none',
      readOnly: false,
      ...(target.sslMode ? { sslMode: target.sslMode } : {}),
      savedSecrets: [],
      pgpass: false,
      ...this.state(DATABASE_URL_CONNECTION_ID),
    };
  }

  private async profileEntry(profile: Profile): Promise<ConnectionEntry> {
    const savedSecrets = await this.options.vault.names(profile.id);
    return {
      id: profile.id,
      kind: 'profile',
      name: profile.name,
      host: profile.host,
      port: profile.port,
      database: profile.database,
      user: profile.user,
      color: profile.color,
      readOnly: profile.readOnly,
      sslMode: profile.ssl.mode,
      ...(profile.ssh ? { via: `${profile.ssh.user}@${profile.ssh.host}:${profile.ssh.port}` } : {}),
      profile,
      savedSecrets,
      pgpass: !savedSecrets.includes('password') && (await findPgpassPassword(profile)) !== null,
      ...this.state(profile.id),
    };
  }
}
