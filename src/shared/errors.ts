import { z } from 'zod';

/**
 * The closed set of error codes that cross the contract boundary. The renderer decides what to
 * show from the code (and `field`), never by parsing a message.
 */
const errorCodes = [
  'VALIDATION', // bad input; `field` names the offending field
  'NOT_FOUND', // no such row, or no such procedure
  'CONFLICT', // e.g. duplicate email; `existingId` names the row in the way
  'CONNECTION', // cannot reach or log in to PostgreSQL
  'SCHEMA', // the database is not migrated to what this version of Simple DB needs
  'PERMISSION', // the database role (or the file system) does not allow it
  'ALREADY_RUNNING', // the embedded server's data directory is in use by another Simple DB
  'TOOL_MISSING',
  'TOOL_VERSION',
  'STORAGE', // the disk is full, or a file cannot be written where it must go
  'CANCELLED',
  'TIMEOUT',
  'UNAUTHORIZED', // browser mode: missing or wrong token
  'FORBIDDEN', // browser mode: foreign Host or Origin, or an IPC call from a frame that is not ours
  'TOO_LARGE', // browser mode: request body over the limit
  'INTERNAL', // a bug; the message says where the log is
] as const;

const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** An SSH server's host key, as an error shows it for the admin to compare (and trust). */
export const hostKeySchema = z.object({
  host: z.string(),
  port: z.number().int(),
  /** ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-512… */
  algorithm: z.string(),
  /** `SHA256:…` as ssh prints it. */
  fingerprint: z.string(),
  /** The key itself (base64), so trusting it records exactly what was shown. */
  key: z.string(),
  /** Known before under another key: refused, never trusted silently. */
  changed: z.boolean(),
  previousFingerprint: z.string().optional(),
});
export type HostKey = z.infer<typeof hostKeySchema>;

/** What the window can offer to do about an error, beyond showing it. */
export const errorOfferSchema = z.enum([
  'createDatabase', // the database does not exist: create it
  'enterPassword', // no password saved and the server wants one
  'trustHostKey', // an SSH server seen for the first time: show `hostKey`, ask
]);

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  field: z.string().optional(),
  existingId: z.number().int().optional(),
  offer: errorOfferSchema.optional(),
  hostKey: hostKeySchema.optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** HTTP status for each code, so browser mode answers with a meaningful status line. */
export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CONNECTION: 503,
  SCHEMA: 409,
  PERMISSION: 403,
  ALREADY_RUNNING: 409,
  TOOL_MISSING: 500,
  TOOL_VERSION: 500,
  STORAGE: 507,
  CANCELLED: 409,
  TIMEOUT: 504,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_LARGE: 413,
  INTERNAL: 500,
};
