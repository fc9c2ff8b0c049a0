import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { ConnectionTarget } from '../../src/main/db/target';
import { copyQueryToFile } from '../../src/main/transfer/copy-out';
import { userExportQuery } from '../../src/main/transfer/users-export';
import { importUsersCsv } from '../../src/main/transfer/users-import';
import { BIG_USERS, bigBackend } from '../support/big-database';
import { migratedBackend, rawClient, serverConnection } from '../support/database';

// The issue's CSV figures on 1,000,000 users: our export (COPY … TO STDOUT through pg-copy-streams,
// the record counter, a .partial file renamed at the end) beside `psql \copy (SELECT …) TO`, and
// our import with validation (UTF-8 check, csv-parse, the forms' schemas per record, COPY into a
// temporary table, the duplicate and already-taken checks in SQL, one INSERT … SELECT) beside
// `psql \copy users(email,name,created_at) FROM` the same file into the same empty, fully indexed
// table. Goals (speed, ours ÷ baseline): export ≥ 0.9×, import ≥ 0.5×.
//
// Each measured round runs all four once, ours and psql back to back with the side that goes first
// alternating, so whatever else the machine does weighs on both alike. The summary at the end
// gives the medians and the ratios; nothing here asserts a time.
/** Measured rounds: an import of 1,000,000 rows into the fully indexed table (trigram indexes too) takes about a minute on two cores. */
const ROUNDS = 3;

let big: { backend: Backend; database: string; client: pg.Client };
let importer: { backend: Backend; database: string };
let importClient: pg.Client;
let exportTarget: ConnectionTarget;
let importTarget: ConnectionTarget;
let dir: string;
/** email,name,created_at of every user, written once by psql: what both imports read. */
let importFile: string;
const samples = new Map<string, number[]>();
let rounds = 0;

const EXPORT_COLUMNS = 'SELECT id, email, name, created_at FROM users ORDER BY id';

/** psql from PATH (Debian's), no shell, the password in its environment only. */
function psql(database: string, command: string): Promise<void> {
  const { host, port, user, password } = serverConnection();
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-c', command], {
      env: { ...process.env, PGPASSWORD: password },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql ${command} failed (${code}): ${stderr}`))));
  });
}

/** A path for psql's \copy, in single quotes (ours are temporary paths without quotes, checked). */
function quoted(file: string): string {
  if (file.includes("'")) throw new Error(`unexpected quote in ${file}`);
  return `'${file}'`;
}

async function timed(name: string, work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await work();
  const took = performance.now() - started;
  let list = samples.get(name);
  if (!list) samples.set(name, (list = []));
  list.push(took);
}

async function ourExport(): Promise<void> {
  const file = path.join(dir, 'ours.csv');
  const result = await copyQueryToFile(
    exportTarget,
    userExportQuery({ search: '', match: 'contains', filters: { products: 'any' }, sort: 'id', direction: 'asc' }),
    file,
    { signal: new AbortController().signal, onProgress: () => undefined },
  );
  if (result.rows !== BIG_USERS) throw new Error(`our export wrote ${result.rows} rows`);
}

async function psqlExport(): Promise<void> {
  await psql(big.database, `\\copy (${EXPORT_COLUMNS}) TO ${quoted(path.join(dir, 'psql.csv'))} CSV HEADER`);
}

async function emptyUsers(): Promise<void> {
  await importClient.query('TRUNCATE users RESTART IDENTITY CASCADE');
}

async function checkImported(who: string): Promise<void> {
  const { rows } = await importClient.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if (rows[0]!.n !== BIG_USERS) throw new Error(`${who} import left ${rows[0]!.n} users`);
}

async function ourImport(): Promise<void> {
  const report = await importUsersCsv(importTarget, importFile, { mode: 'reject', signal: new AbortController().signal });
  if (report.rejected || report.inserted !== BIG_USERS)
    throw new Error(`our import: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 3) })}`);
}

async function psqlImport(): Promise<void> {
  await psql(importer.database, `\\copy users(email, name, created_at) FROM ${quoted(importFile)} CSV HEADER`);
}

/** One measured round: both exports, then both imports, each pair in alternating order. */
async function measureRound(): Promise<void> {
  const round = rounds++;
  const exports: Array<[string, () => Promise<void>]> = [
    ['export ours', ourExport],
    ['export psql', psqlExport],
  ];
  const imports: Array<[string, () => Promise<void>]> = [
    ['import ours', ourImport],
    ['import psql', psqlImport],
  ];
  if (round % 2) {
    exports.reverse();
    imports.reverse();
  }
  for (const [name, work] of exports) await timed(name, work);
  for (const [name, work] of imports) {
    // Not timed: every import starts from the same empty table (and its empty indexes).
    await emptyUsers();
    await importClient.query('CHECKPOINT');
    await timed(name, work);
    await checkImported(name);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function printSummary(): void {
  const count = BIG_USERS.toLocaleString('en-US');
  const lines = [
    `CSV export and import of ${count} users, Simple DB beside psql \\copy, medians in seconds of ${rounds} interleaved rounds (speed = psql time ÷ ours):`,
    `${'work'.padEnd(8)} ${'ours'.padStart(8)} ${'psql'.padStart(8)} ${'speed'.padStart(7)} ${'goal'.padStart(6)}   rounds (ours / psql)`,
  ];
  for (const [work, goal] of [
    ['export', 0.9],
    ['import', 0.5],
  ] as const) {
    const ours = samples.get(`${work} ours`);
    const raw = samples.get(`${work} psql`);
    if (!ours?.length || !raw?.length) continue;
    const [o, p] = [median(ours) / 1000, median(raw) / 1000];
    const each = ours.map((t, i) => `${(t / 1000).toFixed(2)}/${((raw[i] ?? NaN) / 1000).toFixed(2)}`).join(' ');
    lines.push(
      `${work.padEnd(8)} ${o.toFixed(2).padStart(8)} ${p.toFixed(2).padStart(8)} ${`${(p / o).toFixed(2)}x`.padStart(7)} ${`${goal}x`.padStart(6)}   ${each}`,
    );
  }
  console.log(lines.join('\n'));
}

beforeAll(async () => {
  big = await bigBackend();
  exportTarget = big.backend.defaultConnection.target;
  importer = await migratedBackend({ prefix: 'bench_import' });
  importTarget = importer.backend.defaultConnection.target;
  importClient = await rawClient(importer.database);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-transfer-bench-'));
  importFile = path.join(dir, 'import.csv');
  await psql(big.database, `\\copy (SELECT email, name, created_at FROM users ORDER BY id) TO ${quoted(importFile)} CSV HEADER`);
  // One of each, unmeasured: JIT, the table in PostgreSQL's buffers and the file in the page cache.
  await ourExport();
  await psqlExport();
  await emptyUsers();
  await ourImport();
}, 900_000);

afterAll(async () => {
  printSummary();
  await importClient?.end();
  await big?.client.end();
  await big?.backend.close();
  await importer?.backend.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe(`CSV export and import of ${BIG_USERS.toLocaleString('en-US')} users`, () => {
  bench('one round: export and import, ours and psql \\copy', measureRound, {
    time: 0,
    iterations: ROUNDS,
    warmupTime: 0,
    warmupIterations: 0,
  });
});
