import { version } from '../../../package.json';
import { appDataDir, logFilePath } from '../config/paths';
import { fileLogger, type Logger } from '../log/logger';

/** What every entry (desktop, browser mode, CLI) reads from its environment, read in one place. */
export interface Environment {
  version: string;
  dataDir: string;
  logFile: string;
  log: Logger;
  databaseUrl: string | undefined;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const dataDir = appDataDir(env);
  const logFile = logFilePath(dataDir);
  return { version, dataDir, logFile, log: fileLogger(logFile), databaseUrl: env.DATABASE_URL || undefined };
}
