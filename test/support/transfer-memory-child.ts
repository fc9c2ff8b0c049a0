// Run by test/integration/transfer-memory.test.ts as a process of its own (built by vite into a
// CommonJS file, then plain `node`), so the test runner's memory never mixes with what the export
// and the import cost. It exports every user of SOURCE_URL to FILE with the app's engine, imports
// FILE into TARGET_URL's empty users table (reject mode: validated, all or nothing), and prints one
// JSON line: its idle RSS and each step's peak RSS, in bytes, with the rows each step reported.
//
// The peak is the kernel's high-water mark (VmHWM in /proc/self/status), reset before each step by
// writing 5 to /proc/self/clear_refs, so a short spike between two samples still counts. Where the
// kernel refuses the reset, the mark would cover everything since start-up; sampling RSS on a timer
// (which only sees the moments the event loop is free, but a streamed pipeline frees it constantly)
// is kept beside it, and the larger of the two is what the test checks.
import fs from 'node:fs';
import { parseDatabaseUrl } from '../../src/main/db/target';
import { copyQueryToFile } from '../../src/main/transfer/copy-out';
import { withCopySession } from '../../src/main/transfer/copy-session';
import { userExportQuery } from '../../src/main/transfer/users-export';
import { importUsersCsv } from '../../src/main/transfer/users-import';

const MB = 1024 * 1024;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function statusBytes(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

/** Resets the high-water mark to the current RSS; false where the kernel does not allow it. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` and answers the highest RSS seen while it ran, by both measures. */
async function peakDuring<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; sampled: number; seconds: number; markReset: boolean }> {
  const markReset = resetPeak();
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const result = await work();
    sampled = Math.max(sampled, process.memoryUsage().rss);
    return { result, peak: Math.max(statusBytes('VmHWM'), sampled), sampled, seconds: (performance.now() - started) / 1000, markReset };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const source = parseDatabaseUrl(required('SOURCE_URL'));
  const target = parseDatabaseUrl(required('TARGET_URL'));
  const file = required('FILE');
  const signal = new AbortController().signal;

  // Idle: the code loaded and a connection made and ended once (pg's own lazy set-up), then settled.
  await withCopySession(source, 'simple-db (memory test)', signal, (client) => client.query('SELECT 1'));
  globalThis.gc?.();
  const idle = statusBytes('VmRSS');

  const exported = await peakDuring(() =>
    copyQueryToFile(source, userExportQuery({ search: '', match: 'contains', filters: { products: 'any' }, sort: 'id', direction: 'asc' }), file, {
      signal,
      onProgress: () => undefined,
    }),
  );
  // When the last row was read: the file streamed through validation into COPY by then; the rest is SQL.
  let lastRowAt = 0;
  const importStarted = performance.now();
  const imported = await peakDuring(() =>
    importUsersCsv(target, file, { mode: 'reject', signal, onProgress: () => (lastRowAt = performance.now()) }),
  );

  const step = (s: { peak: number; sampled: number; seconds: number; markReset: boolean }) => ({
    peak: s.peak,
    sampled: s.sampled,
    aboveIdleMB: Math.round(((s.peak - idle) / MB) * 10) / 10,
    seconds: Math.round(s.seconds * 100) / 100,
    markReset: s.markReset,
  });
  const report = {
    idle,
    export: { ...step(exported), rows: exported.result.rows, bytes: exported.result.bytes },
    import: {
      ...step(imported),
      streamedSeconds: Math.round((lastRowAt - importStarted) / 10) / 100,
      rows: imported.result.rows,
      inserted: imported.result.inserted,
      rejected: imported.result.rejected,
      problemCount: imported.result.problemCount,
    },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
