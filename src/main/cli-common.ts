import { describeTarget, type ConnectionTarget } from './db/target';
import type { Environment } from './lifecycle/environment';
import { translateStartupError } from './lifecycle/startup-error';
import { redactSecrets } from './log/logger';

/** What the admin typed is not usable: said as it is, never translated into "something unexpected". */
export class UsageError extends Error {}

export interface ParsedArguments {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Every flag must be known: a typo (`--mod skip`, `--in` for `--into`) must stop the command, not
 * be ignored by it. `usage` is the command's help, shown after the complaint.
 */
export function parseArguments(argv: string[], valued: readonly string[], switches: readonly string[], usage: string): ParsedArguments {
  const parsed: ParsedArguments = { positional: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      parsed.positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s) as [string, string | undefined];
    if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.\n\n${usage}`);
      parsed.flags.set(name, value);
    } else if (switches.includes(name) && inline === undefined) parsed.flags.set(name, true);
    else throw new UsageError(`Unknown option --${name}.\n\n${usage}`);
  }
  return parsed;
}

/** The database a command acts on, as its first line says it: `embedded PostgreSQL, simple_db` or `host:port/database`. */
export function databaseLabel(target: Pick<ConnectionTarget, 'kind' | 'host' | 'port' | 'database'>): string {
  return target.kind === 'embedded' ? `embedded PostgreSQL, ${target.database}` : describeTarget(target);
}

/**
 * The last word of a command that failed: the translation already made for the connection, a
 * usage error as it is, else what a startup failure means (the error's own message when nothing
 * fits), passwords masked; then exit 1.
 */
export function exitWithError(error: Error & { translated?: unknown }, environment: Pick<Environment, 'version' | 'logFile' | 'databaseUrl'>): never {
  const startup = error.translated || error instanceof UsageError ? null : translateStartupError(error, environment.logFile, environment.databaseUrl);
  const message = startup && startup.code !== 'INTERNAL' ? startup.message : error.message;
  console.error(`simple-db ${environment.version}: ${redactSecrets(message)}`);
  process.exit(1);
}
