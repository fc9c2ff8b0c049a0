import { z } from 'zod';
import { noInput } from './common';
import { connectionColorSchema, connectionKindSchema } from './connections';
import { migrationStateSchema } from './migrations';

export const connectionInfoSchema = z.object({
  /** The connection manager's key for this connection. */
  id: z.string(),
  /** What kind of connection this is, so screens and hints speak of the right thing to fix. */
  kind: connectionKindSchema,
  /** How the window names it: the profile's name, "Embedded PostgreSQL" or "DATABASE_URL". */
  label: z.string(),
  color: connectionColorSchema,
  readOnly: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  name: z.string(),
  user: z.string(),
  serverVersion: z.string(),
  /** How the database sorts text: "ICU (und)" or "libc (C)", as the About panel says. */
  collation: z.string(),
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
