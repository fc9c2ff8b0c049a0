import { z } from 'zod';
import { jobStartedSchema } from './jobs';
import { migrationStateSchema } from './migrations';
import { NO_CONTROL_CHARACTERS } from './common';
import { hostKeySchema } from '../errors';

/** libpq's sslmode values, in order of how much they demand. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const sslModeSchema = z.enum(SSL_MODES);
export type SslMode = z.infer<typeof sslModeSchema>;

/** The colour tags a profile may carry (names, not CSS: the window decides how they look). */
export const CONNECTION_COLORS = ['none', 'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'grey'] as const;
export const connectionColorSchema = z.enum(CONNECTION_COLORS);
export type ConnectionColor = z.infer<typeof connectionColorSchema>;

const text = (field: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${field} is required.`)
    .max(max, `${field} is at most ${max} characters.`)
    .regex(NO_CONTROL_CHARACTERS, `${field} must not contain control characters.`);

const hostSchema = text('Host', 255).refine((host) => !/\s/.test(host), 'A host name has no spaces.');
const portSchema = z.coerce
  .number({ error: 'The port is a number from 1 to 65535 (PostgreSQL’s is usually 5432, SSH’s 22).' })
  .int('The port is a whole number.')
  .min(1, 'Ports go from 1 to 65535.')
  .max(65_535, 'Ports go from 1 to 65535.');
/** An absolute path to a certificate or key file on this machine (checked when used). */
const filePathSchema = text('A file path', 4096);

export const sshAuthSchema = z.enum(['password', 'key', 'agent']);
export type SshAuth = z.infer<typeof sshAuthSchema>;

/** One SSH hop: the bastion, or the jump host in front of it. */
export const sshHopSchema = z.object({
  host: hostSchema,
  port: portSchema.default(22),
  user: text('The SSH user', 128),
  auth: sshAuthSchema,
  /** The private key file, for `auth: 'key'`. */
  privateKeyFile: filePathSchema.optional(),
});
export type SshHop = z.infer<typeof sshHopSchema>;

export const sshTunnelSchema = sshHopSchema.extend({
  /** Optionally reached through this host first (ssh -J). */
  jump: sshHopSchema.optional(),
});
export type SshTunnel = z.infer<typeof sshTunnelSchema>;

export const sslSettingsSchema = z.object({
  mode: sslModeSchema.default('prefer'),
  /** CA certificate that verify-ca / verify-full trust (libpq's sslrootcert). */
  rootCert: filePathSchema.optional(),
  /** Client certificate and its key (sslcert / sslkey), when the server asks for one. */
  cert: filePathSchema.optional(),
  key: filePathSchema.optional(),
});
export type SslSettings = z.infer<typeof sslSettingsSchema>;

/** A saved connection, as the admin described it. Never holds a secret. */
export const profileSchema = z.object({
  id: z.string().min(1).max(64),
  name: text('The name', 80),
  host: hostSchema,
  port: portSchema.default(5432),
  database: text('The database', 63),
  user: text('The user', 63),
  ssl: sslSettingsSchema.default({ mode: 'prefer' }),
  ssh: sshTunnelSchema.optional(),
  color: connectionColorSchema.default('none'),
  readOnly: z.boolean().default(false),
});
export type Profile = z.infer<typeof profileSchema>;
/** A profile being written: without an id it is a new one. */
export const profileDraftSchema = profileSchema.extend({ id: z.string().min(1).max(64).optional() });
export type ProfileDraft = z.infer<typeof profileDraftSchema>;

/** The secrets a profile can carry. Sent by the window only; answered only as "saved or not". */
export const SECRET_NAMES = ['password', 'sshPassword', 'sshPassphrase', 'jumpPassword', 'jumpPassphrase'] as const;
export const secretNameSchema = z.enum(SECRET_NAMES);
export type SecretName = z.infer<typeof secretNameSchema>;
/** A string sets the secret, `null` forgets it, absent leaves it as saved. */
export const secretsInputSchema = z.partialRecord(secretNameSchema, z.string().max(4096).nullable());
export type SecretsInput = z.infer<typeof secretsInputSchema>;

/**
 * Where secrets go: `os` encrypts them with the desktop's secret store (Electron safeStorage);
 * `memory` keeps them only until Simple DB quits, and only once the admin agreed to that.
 */
export const secretStorageSchema = z.object({
  kind: z.enum(['os', 'memory']),
  /** For people: "GNOME Keyring", "Keychain", or why there is none. */
  detail: z.string(),
});
export type SecretStorage = z.infer<typeof secretStorageSchema>;

export const connectionKindSchema = z.enum(['embedded', 'url', 'profile']);
export type ConnectionKind = z.infer<typeof connectionKindSchema>;

/** One entry of the connection list: the embedded database, DATABASE_URL, or a saved profile. */
export const connectionEntrySchema = z.object({
  id: z.string(),
  kind: connectionKindSchema,
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  user: z.string(),
  color: connectionColorSchema,
  readOnly: z.boolean(),
  sslMode: sslModeSchema.optional(),
  /** `user@bastion:22` when it goes through SSH. */
  via: z.string().optional(),
  state: z.enum(['open', 'lost', 'closed']),
  message: z.string().optional(),
  /** Only for profiles: what the admin saved, and which secrets are kept (never their values). */
  profile: profileSchema.optional(),
  savedSecrets: z.array(secretNameSchema).default([]),
  /** The password comes from ~/.pgpass (no saved one). */
  pgpass: z.boolean().default(false),
});
export type ConnectionEntry = z.infer<typeof connectionEntrySchema>;

const connectionIdInput = z.object({ id: z.string().min(1).max(64) }).strict();

export { hostKeySchema, type HostKey } from '../errors';

export const testStepSchema = z.object({
  id: z.enum(['ssh-jump', 'ssh', 'connect', 'login', 'version', 'ssl', 'schema']),
  label: z.string(),
  state: z.enum(['running', 'ok', 'failed', 'skipped']),
  detail: z.string().optional(),
});
export type TestStep = z.infer<typeof testStepSchema>;

/** What "Test connection" found: the job's result. */
export const connectionTestResultSchema = z.object({
  steps: z.array(testStepSchema),
  serverVersion: z.string(),
  latencyMs: z.number(),
  ssl: z.object({ protocol: z.string(), cipher: z.string() }).nullable(),
  migrations: migrationStateSchema.nullable(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const importSourceSchema = z.enum(['url', 'pg-service', 'pgadmin', 'simple-db']);

export const connectionsContract = {
  'connections.list': {
    input: z.object({}).strict().default({}),
    output: z.object({ entries: z.array(connectionEntrySchema), secretStorage: secretStorageSchema }),
  },
  'connections.save': {
    input: z
      .object({
        profile: profileDraftSchema,
        secrets: secretsInputSchema.default({}),
        /** The admin agreed to keep secrets in memory only (needed when the storage is `memory`). */
        keepSecretsInMemory: z.boolean().default(false),
      })
      .strict(),
    output: connectionEntrySchema,
  },
  'connections.delete': { input: connectionIdInput, output: z.object({ deleted: z.string() }) },
  /** Starts a job whose progress names each step and whose result is a ConnectionTestResult. */
  'connections.test': {
    input: z
      .object({
        profile: profileDraftSchema,
        /** Typed in the form; a missing one falls back to the saved one (for `profile.id`) or ~/.pgpass. */
        secrets: secretsInputSchema.default({}),
      })
      .strict(),
    output: jobStartedSchema,
  },
  'connections.open': {
    input: connectionIdInput.extend({
      /** Asked for when none is saved: used for this session. */
      secrets: secretsInputSchema.default({}),
    }),
    output: connectionEntrySchema,
  },
  'connections.close': { input: connectionIdInput, output: connectionEntrySchema },
  /** Reads profiles from a URL, ~/.pg_service.conf (or the text given) or a pgAdmin servers.json; saves nothing. */
  'connections.import': {
    input: z
      .object({
        source: importSourceSchema,
        /** The URL, or the file's contents; for `pg-service` without text, ~/.pg_service.conf is read. */
        text: z.string().max(1_000_000).optional(),
      })
      .strict(),
    output: z.object({
      drafts: z.array(z.object({ profile: profileDraftSchema, secrets: secretsInputSchema })),
      skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  },
  /** The saved profiles (all, or those named) as a file to import elsewhere: never a secret, never an id. */
  'connections.export': {
    input: z
      .object({ ids: z.array(z.string().min(1).max(64)).max(1000).optional() })
      .strict()
      .default({}),
    output: z.object({ fileName: z.string(), text: z.string(), count: z.number().int() }),
  },
  'connections.trustHostKey': {
    input: hostKeySchema.omit({ changed: true, previousFingerprint: true }).strict(),
    output: z.object({ trusted: z.literal(true) }),
  },
  /** Creates the profile's database when the server says it does not exist (the error offers it). */
  'connections.createDatabase': {
    input: connectionIdInput.extend({
      /** Typed for this session (when none is saved), as for connections.open. */
      secrets: secretsInputSchema.default({}),
    }),
    output: connectionEntrySchema,
  },
};
