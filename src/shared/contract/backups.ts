import { z } from 'zod';
import { NO_CONTROL_CHARACTERS, noInput } from './common';
import { jobStartedSchema } from './jobs';

export const backupFormatSchema = z.enum(['custom', 'plain', 'directory']);
export type BackupFormat = z.infer<typeof backupFormatSchema>;

/** A table as pg_dump names it: `schema.table`. */
const qualifiedTableSchema = z
  .string()
  .min(3)
  .max(200)
  .regex(NO_CONTROL_CHARACTERS, 'A table name cannot contain control characters.')
  .regex(/^[^.]+\.[^.]+$/, 'Name a table as schema.table, e.g. public.users.');

/** What the admin can choose behind "Options". Everything has a default: one click needs none. */
export const backupOptionsSchema = z
  .object({
    format: backupFormatSchema.default('custom'),
    /** Parallel pg_dump workers; directory format only. */
    jobs: z.number().int().min(1).max(16).default(2),
    /** 0–9; null leaves pg_dump's default (custom/directory compress, plain does not). */
    compression: z.number().int().min(0).max(9).nullable().default(null),
    content: z.enum(['all', 'schema', 'data']).default('all'),
    /** Only these tables (empty: the whole database). */
    tables: z.array(qualifiedTableSchema).max(500).default([]),
    noOwner: z.boolean().default(false),
    noPrivileges: z.boolean().default(false),
  })
  .strict();
export type BackupOptions = z.infer<typeof backupOptionsSchema>;
export type BackupOptionsInput = z.input<typeof backupOptionsSchema>;

export const installedToolSchema = z.object({
  name: z.enum(['pg_dump', 'pg_restore', 'psql']),
  path: z.string(),
  version: z.string(),
  major: z.number().int(),
  source: z.enum(['setting', 'path', 'folder']),
});
export type InstalledToolInfo = z.infer<typeof installedToolSchema>;

export const backupManifestSchema = z.object({
  manifestVersion: z.literal(1),
  /** Who took it: the admin, the schedule, a restore (its safety backup), or before migrations. */
  kind: z.enum(['manual', 'scheduled', 'safety', 'pre-migration']),
  database: z.string(),
  host: z.string(),
  port: z.number().int(),
  serverVersion: z.string(),
  tool: z.object({ name: z.string(), path: z.string(), version: z.string() }),
  format: backupFormatSchema,
  options: backupOptionsSchema,
  /** Bytes on disk (a directory: its files together). */
  size: z.number().int(),
  /** Hex sha256 of the file (a directory: of its files' names and contents, in name order). */
  sha256: z.string(),
  /** Rows in each table, counted in the very snapshot pg_dump read. */
  rowCounts: z.record(z.string(), z.number().int()),
  startedAt: z.string(),
  durationMs: z.number().int(),
  note: z.string().optional(),
  /** For kind 'pre-migration': the migrations that were pending when it was taken (applied right after it). */
  migrations: z.array(z.string()).optional(),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

export const verificationSchema = z.object({
  state: z.enum(['verified', 'failed']),
  checkedAt: z.string(),
  message: z.string(),
});
export type Verification = z.infer<typeof verificationSchema>;

export const backupEntrySchema = z.object({
  /** The file or folder name inside the backups folder: how every procedure names a backup. */
  name: z.string(),
  path: z.string(),
  format: backupFormatSchema,
  size: z.number().int(),
  /** The manifest's start, else the file's modification time. */
  createdAt: z.string(),
  manifest: backupManifestSchema.nullable(),
  verification: verificationSchema.nullable(),
});
export type BackupEntry = z.infer<typeof backupEntrySchema>;

const backupNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(NO_CONTROL_CHARACTERS, 'A backup name cannot contain control characters.')
  .regex(/^[^/\\]+$/, 'A backup is named by its file name in the backups folder, without a folder.')
  .refine((name) => name !== '.' && name !== '..', 'Not a backup name.');

const databaseNameSchema = z
  .string()
  .min(1, 'Type a database name.')
  .max(63, 'PostgreSQL database names are at most 63 bytes.')
  .refine(
    (name) => new TextEncoder().encode(name).length <= 63,
    'PostgreSQL database names are at most 63 bytes (accented letters take two or more).',
  )
  .regex(NO_CONTROL_CHARACTERS, 'A database name cannot contain control characters.');

export const scheduleSchema = z
  .object({
    enabled: z.boolean().default(false),
    frequency: z.enum(['daily', 'weekly']).default('daily'),
    /** Local time of day, HH:MM (24 h). */
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give the time as HH:MM, e.g. 02:30.')
      .default('02:00'),
    /** 0 = Sunday … 6 = Saturday; weekly only. */
    weekday: z.number().int().min(0).max(6).default(0),
    /** Scheduled backups kept; older ones are deleted after a new one verifies. */
    keep: z.number().int().min(1).max(365).default(7),
  })
  .strict();
export type Schedule = z.infer<typeof scheduleSchema>;

export const scheduleStateSchema = z.object({
  schedule: scheduleSchema,
  /** ISO time of the next run while the app stays open; null when off. */
  nextRunAt: z.string().nullable(),
  lastRun: z.object({ at: z.string(), state: z.enum(['succeeded', 'failed']), message: z.string() }).nullable(),
  /** The latest runs, newest first: what each did (its backup's name) or why it failed. */
  recentRuns: z.array(z.object({ at: z.string(), state: z.enum(['succeeded', 'failed']), message: z.string() })),
  /** A run that fell while Simple DB was closed: when it was due. */
  missedRunAt: z.string().nullable(),
});
export type ScheduleState = z.infer<typeof scheduleStateSchema>;

export const preflightSchema = z.object({
  file: z.object({
    name: z.string(),
    format: backupFormatSchema,
    size: z.number().int(),
    /** Manifest (ours) or header (plain files, archives' TOC). */
    sourceDatabase: z.string().nullable(),
    sourceServerVersion: z.string().nullable(),
    toolVersion: z.string().nullable(),
    hasManifest: z.boolean(),
    /** Tables it holds with rows where known (manifest, or counted in a plain file). */
    tables: z.array(z.object({ name: z.string(), rows: z.number().int().nullable() })),
  }),
  target: z.object({
    database: z.string(),
    exists: z.boolean(),
    serverVersion: z.string(),
    /** What is there now and will be dropped and replaced. */
    replaced: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        rows: z.number().int().nullable(),
        /** The planner's estimate (a big table), not an exact count. */
        estimated: z.boolean(),
        /** The file does not bring it back: after the restore it is gone. */
        notInBackup: z.boolean(),
      }),
    ),
    /** Other sessions connected to it, by application name. */
    sessions: z.array(z.object({ pid: z.number().int(), applicationName: z.string(), user: z.string(), state: z.string() })),
  }),
  /** Found in advance; `blocking` ones stop the restore until the admin acts (an option, another file). */
  problems: z.array(
    z.object({
      kind: z.enum([
        'missing-roles',
        'unknown-settings',
        'refused-command',
        'unreadable',
        'tool',
        'sessions',
        'database-name',
        'incomplete',
        'partial-backup',
      ]),
      blocking: z.boolean(),
      message: z.string(),
      /** The option that solves it, when one does. */
      fix: z.enum(['noOwner', 'noPrivileges', 'terminateSessions']).optional(),
    }),
  ),
  /** What the admin must type to confirm. */
  confirmText: z.string(),
  /** The command that will run, password masked. */
  commandLine: z.string(),
});
export type Preflight = z.infer<typeof preflightSchema>;

const restoreTargetSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('replace') }).strict(),
  z.object({ mode: z.literal('new'), database: databaseNameSchema }).strict(),
]);

const restoreChoicesSchema = {
  name: backupNameSchema,
  target: restoreTargetSchema.default({ mode: 'replace' }),
  noOwner: z.boolean().default(false),
  noPrivileges: z.boolean().default(false),
};

export const restoreResultSchema = z.object({
  database: z.string(),
  safetyBackup: z.string().nullable(),
  /** Rows per table after the restore beside what the manifest (or file) said. */
  rowCounts: z.array(z.object({ table: z.string(), expected: z.number().int().nullable(), actual: z.number().int().nullable() })),
  matches: z.boolean().nullable(),
});
export type RestoreResult = z.infer<typeof restoreResultSchema>;

export const backupsContract = {
  'backups.list': {
    input: noInput,
    output: z.object({ folder: z.string(), backups: z.array(backupEntrySchema), options: backupOptionsSchema }),
  },
  /** What one click (or these options) would run: the file it writes and the command line, password masked. */
  'backups.plan': {
    input: z.object({ options: backupOptionsSchema.partial().optional() }).strict(),
    output: z.object({ file: z.string(), commandLine: z.string(), tool: installedToolSchema, options: backupOptionsSchema }),
  },
  /** Starts a backup of the connected database; the job's result is the new BackupEntry. */
  'backups.create': {
    input: z
      .object({
        options: backupOptionsSchema.partial().optional(),
        /** 'pre-migration': the backup the migrations dialog takes first (default options; it records the pending migrations). */
        purpose: z.enum(['manual', 'pre-migration']).default('manual'),
      })
      .strict()
      .default({ purpose: 'manual' }),
    output: jobStartedSchema,
  },
  'backups.verify': { input: z.object({ name: backupNameSchema }).strict(), output: jobStartedSchema },
  'backups.delete': { input: z.object({ name: backupNameSchema }).strict(), output: z.object({ deleted: z.string() }) },
  'backups.preflight': {
    input: z.object({ ...restoreChoicesSchema }).strict(),
    output: preflightSchema,
  },
  'backups.restore': {
    input: z
      .object({
        ...restoreChoicesSchema,
        /** The database name, typed by the admin. */
        confirm: z.string().max(200),
        safetyBackup: z.boolean().default(true),
        terminateSessions: z.boolean().default(false),
      })
      .strict(),
    output: jobStartedSchema,
  },
  /** Installed client tools and the ones chosen for this server; `paths` sets (string) or clears (null) the admin's own. */
  'backups.tools': {
    input: z
      .object({
        paths: z
          .object({ pg_dump: z.string().max(1000).nullable(), pg_restore: z.string().max(1000).nullable(), psql: z.string().max(1000).nullable() })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    output: z.object({
      serverMajor: z.number().int(),
      installed: z.array(installedToolSchema),
      chosen: z.object({ pg_dump: installedToolSchema.nullable(), pg_restore: installedToolSchema.nullable(), psql: installedToolSchema.nullable() }),
      problems: z.array(z.string()),
      paths: z.object({ pg_dump: z.string().nullable(), pg_restore: z.string().nullable(), psql: z.string().nullable() }),
    }),
  },
  /** Changes the backups folder (created if missing, must be writable). */
  'backups.folder.set': { input: z.object({ folder: z.string().min(1).max(1000) }).strict(), output: z.object({ folder: z.string() }) },
  /** Browser mode: a one-time address (valid a minute) that downloads the backup. */
  'backups.download': { input: z.object({ name: backupNameSchema }).strict(), output: z.object({ url: z.string() }) },
  /** Desktop: shows the backup in the system's file manager. */
  'backups.reveal': { input: z.object({ name: backupNameSchema }).strict(), output: z.object({ revealed: z.boolean() }) },
  'backups.schedule.get': { input: noInput, output: scheduleStateSchema },
  'backups.schedule.set': { input: scheduleSchema, output: scheduleStateSchema },
  /** Runs the missed scheduled backup now (or dismisses it). */
  'backups.schedule.missed': { input: z.object({ action: z.enum(['run', 'dismiss']) }).strict(), output: z.object({ jobId: z.string().nullable() }) },
};
