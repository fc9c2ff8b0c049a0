import fs from 'node:fs/promises';
import path from 'node:path';
import { startApp, type App } from './bootstrap';
import type { Database } from './db/connect';
import { createMigrator, migrationList, type Migrator } from './db/migrations';
import { describeTarget } from './db/target';
import { applyMigrations, buildsConcurrently, indexSummary, migrationStateWithPlans, missingSummary } from './migrations/service';
import type { JobProgress, MigrationPlan } from '../shared/contract';
import { sizeText } from '../shared/size-text';
import { readEnvironment } from './lifecycle/environment';
import { onShutdownSignal } from './lifecycle/shutdown';
import { translateStartupError } from './lifecycle/startup-error';
import { redactSecrets } from './log/logger';

const environment = readEnvironment();
/** Aborted by Ctrl+C (or SIGTERM/SIGHUP): the work under way stops, then the command exits 130. */
const interrupt = new AbortController();

const USAGE = `Usage: npm run migrate -- <command>

  status            list applied and pending migrations
  up                apply all pending migrations (on DATABASE_URL a backup is taken first:
                    --no-backup skips it; --backup takes one on the embedded database too)
  down [--to NAME]  revert the last migration (or every migration after NAME; --to 0 reverts all)
  create <name>     add migrations/<timestamp>.<name>.ts with up and down to fill in

Targets DATABASE_URL when set, otherwise the embedded database (stop the app first).`;

const MIGRATION_TEMPLATE = `import type { MigrationContext } from '../src/main/db/migration-context';

// Runs in one transaction: if any statement fails, nothing of this migration is applied.
export async function up({ query }: MigrationContext): Promise<void> {
  await query('');
}

// Must undo exactly what up() did.
export async function down({ query }: MigrationContext): Promise<void> {
  await query('');
}
`;

async function createMigrationFile(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9][a-z0-9_-]{0,80}$/.test(name)) {
    throw new Error('Give the migration a name of lower-case letters, digits, - and _: npm run migrate -- create add-products-price');
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '.')
    .replace(/\.\d{3}Z$/, ''); // 2026.11.24T10.00.00: sorts after older names
  // The CLI runs from out/main; the migrations folder is at the project root (tests point elsewhere).
  const dir = process.env.SIMPLE_DB_MIGRATIONS_DIR ?? path.resolve(__dirname, '..', '..', 'migrations');
  const file = path.join(dir, `${stamp}.${name}.ts`);
  await fs.writeFile(file, MIGRATION_TEMPLATE, { flag: 'wx' });
  console.log(`Created ${path.relative(process.cwd(), file)}. Fill in up() and down(), then run: npm run migrate -- up`);
}

interface Work {
  migrator: Migrator;
  db: Database;
  app: App;
  /** Aborted by Ctrl+C: a running index build is cancelled on the server and what it left is dropped. */
  signal: AbortSignal;
}

async function withDatabase(run: (work: Work) => Promise<void>): Promise<void> {
  // The same start as the app's, except that the CLI migrates only when told to.
  const opening = startApp({ ...environment, migrateEmbedded: false });
  const running: { work: Promise<void> } = { work: Promise.resolve() };
  // Registered before the app opens: Ctrl+C while the embedded server starts, or while a
  // migration runs (PostgreSQL rolls its transaction back when the connection closes; an index
  // build is cancelled and its half-built index dropped first), stops the server rather than
  // leave it behind.
  onShutdownSignal(
    async () => {
      interrupt.abort(new DOMException('Interrupted', 'AbortError'));
      await running.work.catch(() => undefined);
      await (await opening.catch(() => null))?.close();
    },
    { say: (line) => console.error(line), exitCode: 130 },
  );
  const app = await opening;
  try {
    const { target, db } = app.defaultConnection;
    console.log(`Database: ${target.kind === 'embedded' ? 'embedded PostgreSQL' : describeTarget(target)}`);
    running.work = run({ migrator: createMigrator(db.sequelize), db, app, signal: interrupt.signal });
    await running.work;
  } finally {
    await app.close();
  }
}

/** A terminal line for a progress report: each new phase or index at once, the same one again at most every few seconds. */
function progressPrinter(print: (line: string) => void, everyMs = 5_000): (progress: JobProgress) => void {
  let last = { text: '', at: 0 };
  return (progress) => {
    const what = progress.message ?? progress.phase;
    // A share of blocks or rows says how far a build is; "1 of 3" migrations is already in the text.
    const share = progress.total && progress.unit !== 'steps' ? ` ${Math.floor((progress.done / progress.total) * 100)}%` : '';
    const now = Date.now();
    if (what === last.text && now - last.at < everyMs) return;
    last = { text: what, at: now };
    print(`  ${what}${share}`);
  };
}

/** "7 indexes, ~12.3 MB, ~4 s": what a pending migration will build, from its plan. */
function planText(plan: MigrationPlan): string {
  const built = plan.indexes.filter((index) => index.skipped === null);
  const bytes = built.reduce((sum, index) => sum + index.estimatedBytes, 0);
  const seconds = built.reduce((sum, index) => sum + index.estimatedSeconds, 0);
  const how = built.some((index) => index.concurrently) ? ', CONCURRENTLY' : '';
  const skipped = plan.indexes.length - built.length;
  return `builds ${built.length} ${built.length === 1 ? 'index' : 'indexes'} (~${sizeText(bytes)}, ~${Math.ceil(seconds)} s${how})${skipped ? `, skips ${skipped}` : ''}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create':
      await createMigrationFile(rest[0]);
      return 0;
    case 'status':
      await withDatabase(async ({ app }) => {
        const state = await migrationStateWithPlans(app.defaultConnection);
        for (const name of state.applied) console.log(`  applied  ${name}`);
        for (const name of state.pending) {
          const plan = state.plans?.find((candidate) => candidate.name === name);
          console.log(`  pending  ${name}${plan ? ` — ${planText(plan)}` : ''}`);
          for (const index of plan?.indexes ?? []) if (index.skipped) console.log(`           skips ${index.name}: ${index.skipped}`);
        }
        // Indexes an applied migration could not build when it ran (pg_trgm was missing) and can now.
        for (const plan of state.plans ?? []) {
          if (plan.kind === 'missing-indexes') for (const index of plan.indexes) console.log(`  missing  ${index.name} (of ${plan.name})`);
        }
        const missing = state.missingIndexes?.length ?? 0;
        console.log(
          state.pending.length
            ? `${state.pending.length} pending. Apply with: npm run migrate -- up`
            : missing
              ? `${missing} ${missing === 1 ? 'index' : 'indexes'} of applied migrations to build. Build with: npm run migrate -- up`
              : 'Schema is up to date.',
        );
      });
      return 0;
    case 'up':
      await withDatabase(async ({ migrator, app, signal }) => {
        const pending = (await migrator.pending()).map((migration) => migration.name);
        const connection = app.defaultConnection;
        const { target } = connection;
        const backupFirst = rest.includes('--backup') || (target.kind === 'url' && !rest.includes('--no-backup'));
        if (pending.length && backupFirst) {
          const entry = await app.services.backups.create(
            target,
            { kind: 'pre-migration', migrations: pending, note: `Before applying ${pending.join(', ')}` },
            { signal, progress: () => {} },
          );
          console.log(`Backed up first: ${entry.path} (restore it with: npm run restore -- ${entry.path})`);
        }
        if (pending.length && buildsConcurrently(connection)) {
          console.log('Indexes are built CONCURRENTLY: the tables keep serving while they build. Ctrl+C cancels (nothing unfinished is recorded).');
        }
        const outcome = await applyMigrations(connection, { signal, progress: progressPrinter((line) => console.log(line)) });
        for (const name of outcome.applied) console.log(`  applied  ${name}`);
        for (const index of outcome.indexes) if (index.outcome === 'skipped') console.log(`  skipped  ${index.index.name}: ${index.reason ?? ''}`);
        const indexes = indexSummary(outcome.indexes.filter((index) => !index.missing));
        const missing = missingSummary(outcome.indexes);
        if (outcome.applied.length) console.log(`Applied ${outcome.applied.length} migration(s).${indexes ? ` Indexes: ${indexes}.` : ''}`);
        if (missing) console.log(`${missing}.`);
        if (!outcome.applied.length && !missing) console.log('Nothing to apply: schema is up to date.');
      });
      return 0;
    case 'down': {
      const toIndex = rest.indexOf('--to');
      const to = toIndex >= 0 ? rest[toIndex + 1] : undefined;
      if (toIndex >= 0 && !to) throw new Error('--to needs a migration name, or 0 to revert all.');
      if (to && to !== '0' && !migrationList.some((m) => m.name === to))
        throw new Error(`There is no migration named "${to}". See: npm run migrate -- status`);
      await withDatabase(async ({ migrator }) => {
        const reverted = await migrator.down(to === undefined ? { step: 1 } : { to: to === '0' ? 0 : to });
        for (const m of reverted) console.log(`  reverted ${m.name}`);
        console.log(reverted.length ? `Reverted ${reverted.length} migration(s).` : 'Nothing to revert.');
      });
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 1;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (interrupt.signal.aborted) {
      // The shutdown handler is closing everything; a migration cut short was not recorded.
      console.error('Interrupted: a migration cut short is not recorded (a half-built index is dropped); run the command again to finish.');
      process.exit(130);
    }
    // At a terminal the driver's own words help when no translation fits (a failing migration's
    // SQL error, say); passwords are masked all the same.
    const translated = translateStartupError(error, environment.logFile, environment.databaseUrl);
    const cause = (error as { cause?: Error }).cause;
    const detail = translated.code === 'INTERNAL' ? [error.message, cause?.message].filter(Boolean).join(': ') : translated.message;
    console.error(`simple-db ${environment.version}: ${redactSecrets(detail)}`);
    process.exit(1);
  },
);
