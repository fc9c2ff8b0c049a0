import { z } from 'zod';
import { noInput } from './common';
import { migrationStateSchema } from './migrations';

/** What kind of connection this is, so screens and hints speak of the right thing to fix. */
export const connectionKindSchema = z.enum(['embedded', 'url']);

export const connectionInfoSchema = z.object({
  /** The connection manager's key for this connection. */
  id: z.string(),
  kind: connectionKindSchema,
  host: z.string(),
  port: z.number().int(),
  name: z.string(),
  user: z.string(),
  serverVersion: z.string(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  database: connectionInfoSchema,
  migrations: migrationStateSchema,
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appContract = {
  'app.info': { input: noInput, output: appInfoSchema },
};
