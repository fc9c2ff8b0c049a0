import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import type { App as Backend } from '../../src/main/bootstrap';
import type { BackupEntry } from '../../src/shared/contract';
import { runJob, seedUsersAndProducts, tempDataDir } from '../support/backups';
import { migratedBackend, rawClient, serverConnection } from '../support/database';

// Backup and restore of 1,000,000 users (and 2,000,000 products) through Simple DB beside the raw
// tools on the same data, in the same run: `pg_dump -Fc` and `pg_restore -1`. Ours includes
// everything an admin gets: the snapshot with row counts, the read-back, the checksum and
// manifest (backup); the pre-flight, the filter on the way to psql, the row comparison (restore).
// The safety backup is off here: it is a backup, timed in the first group.
const USERS = 1_000_000;
const ONCE = { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 };

let backend: Backend;
let client: pg.Client;
let database: string;
let dataDir: string;
let ours: BackupEntry;
let rawDump: string;
let pgDump: string;
let pgRestore: string;

function libpqEnv(): NodeJS.ProcessEnv {
  const { host, port, user, password } = serverConnection();
  return { ...process.env, PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
}

function runRaw(command: string, args: string[]): void {
  const result = spawnSync(command, args, { env: libpqEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
}

beforeAll(async () => {
  dataDir = await tempDataDir();
  const setup = await migratedBackend({ dataDir });
  backend = setup.backend;
  database = setup.database;
  client = await rawClient(database);
  await seedUsersAndProducts(client, USERS);
  await client.query('VACUUM ANALYZE');
  // The very tools Simple DB chose for this server: the comparison is about our path, not versions.
  pgDump = (await backend.services.backups.toolbox.pick('pg_dump', 15)).path;
  pgRestore = (await backend.services.backups.toolbox.pick('pg_restore', 15)).path;
  rawDump = path.join(dataDir, 'raw.dump');
  runRaw(pgDump, ['-Fc', `--file=${rawDump}`]);
  ours = (await runJob(backend, 'backups.create', { options: { format: 'custom' } })).result as BackupEntry;
}, 600_000);
afterAll(async () => {
  await client?.end();
  await backend?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe(`backup of ${USERS.toLocaleString('en-US')} users and ${(USERS * 2).toLocaleString('en-US')} products (custom format)`, () => {
  bench(
    'simple-db backups.create (snapshot + row counts, read-back, sha256, manifest)',
    async () => {
      const job = await runJob(backend, 'backups.create', { options: { format: 'custom' } });
      if (job.state !== 'succeeded') throw new Error(job.error?.message);
      await backend.dispatch('backups.delete', { name: (job.result as BackupEntry).name });
    },
    ONCE,
  );
  bench('raw pg_dump -Fc', () => runRaw(pgDump, ['-Fc', `--file=${path.join(dataDir, 'raw-again.dump')}`]), ONCE);
});

describe('restore of the same backup over the populated database', () => {
  bench(
    'simple-db backups.restore (pre-flight, one transaction, row comparison; no safety backup)',
    async () => {
      const job = await runJob(backend, 'backups.restore', { name: ours.name, confirm: database, safetyBackup: false });
      if (job.state !== 'succeeded') throw new Error(job.error?.message);
    },
    ONCE,
  );
  bench(
    'raw pg_restore -1 --clean --if-exists',
    () => runRaw(pgRestore, ['--single-transaction', '--clean', '--if-exists', `--dbname=${database}`, rawDump]),
    ONCE,
  );
});

describe('verify (what the automatic check after each backup adds)', () => {
  bench(
    'simple-db backups.verify (size, sha256, pg_restore --list)',
    async () => {
      await runJob(backend, 'backups.verify', { name: ours.name });
    },
    ONCE,
  );
  bench('raw pg_restore --list alone', () => runRaw(pgRestore, ['--list', rawDump]), ONCE);
});
