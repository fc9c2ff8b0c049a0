import fs from 'node:fs';
import path from 'node:path';

export type Logger = (message: string) => void;

// Anything that looks like a password in a connection string or key=value pair is masked before it
// reaches a log line: logs are plain files and end up in bug reports.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(\w+(?:\+\w+)?:\/\/[^:/?#\s]+:)[^@\s]+@/g, '$1***@'],
  [/(password\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1***'],
  [/(PGPASSWORD=)\S+/g, '$1***'],
];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** A log over this size is moved aside to `<file>.1` (replacing the previous one). */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** Appends timestamped, redacted lines to a file (mode 0600). Never throws: logging must not break the app. */
export function fileLogger(file: string): Logger {
  let size: number | null = null;
  return (message) => {
    try {
      if (size === null) {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
      }
      // The embedded server's own messages land here too, for as long as the app runs: keep one
      // old file, never an ever-growing one.
      if (size > MAX_LOG_BYTES) {
        fs.renameSync(file, `${file}.1`);
        size = 0;
      }
      const line = `${new Date().toISOString()} ${redactSecrets(message).trimEnd()}\n`;
      fs.appendFileSync(file, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch {
      // A full or read-only disk must not take the app down with it.
    }
  };
}
