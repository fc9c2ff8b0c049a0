import fs from 'node:fs/promises';
import path from 'node:path';
import { startApp, type App } from './bootstrap';
import type { Database } from './db/connect';
import { createMigrator, migrationList, migrationState, type Migrator } from './db/migrations';
import { describeTarget } from './db/target';
import { readEnvironment } from './lifecycle/environment';
import { onShutdownSignal } from './lifecycle/shutdown';
import { translateStartupError } from './lifecycle/startup-error';
import { redactSecrets } from './log/logger';

const environment = readEnvironment();

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

async function withDatabase(run: (migrator: Migrator, db: Database, app: App) => Promise<void>): Promise<void> {
  // The same start as the app's, except that the CLI migrates only when told to.
  const opening = startApp({ ...environment, migrateEmbedded: false });
  // Registered before the app opens: Ctrl+C while the embedded server starts, or while a
  // migration runs (PostgreSQL rolls its transaction back when the connection closes), stops the
  // server rather than leave it behind.
  onShutdownSignal(async () => (await opening.catch(() => null))?.close(), { say: (line) => console.error(line), exitCode: 130 });
  const app = await opening;
  try {
    const { target, db } = app.defaultConnection;
    console.log(`Database: ${target.kind === 'embedded' ? 'embedded PostgreSQL' : describeTarget(target)}`);
    await run(createMigrator(db.sequelize), db, app);
  } finally {
    await app.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create':
      await createMigrationFile(rest[0]);
      return 0;
    case 'status':
      await withDatabase(async (migrator, db) => {
        const state = await migrationState(migrator, db.sequelize);
        for (const name of state.applied) console.log(`  applied  ${name}`);
        for (const name of state.pending) console.log(`  pending  ${name}`);
        console.log(state.pending.length ? `${state.pending.length} pending. Apply with: npm run migrate -- up` : 'Schema is up to date.');
      });
      return 0;
    case 'up':
      await withDatabase(async (migrator, _db, app) => {
        const pending = (await migrator.pending()).map((migration) => migration.name);
        const { target } = app.defaultConnection;
        const backupFirst = rest.includes('--backup') || (target.kind === 'url' && !rest.includes('--no-backup'));
        if (pending.length && backupFirst) {
          const entry = await app.services.backups.create(
            target,
            { kind: 'pre-migration', migrations: pending, note: `Before applying ${pending.join(', ')}` },
            { signal: new AbortController().signal, progress: () => {} },
          );
          console.log(`Backed up first: ${entry.path} (restore it with: npm run restore -- ${entry.path})`);
        }
        const applied = await migrator.up();
        for (const m of applied) console.log(`  applied  ${m.name}`);
        console.log(applied.length ? `Applied ${applied.length} migration(s).` : 'Nothing to apply: schema is up to date.');
      });
      return 0;
    case 'down': {
      const toIndex = rest.indexOf('--to');
      const to = toIndex >= 0 ? rest[toIndex + 1] : undefined;
      if (toIndex >= 0 && !to) throw new Error('--to needs a migration name, or 0 to revert all.');
      if (to && to !== '0' && !migrationList.some((m) => m.name === to))
        throw new Error(`There is no migration named "${to}". See: npm run migrate -- status`);
      await withDatabase(async (migrator) => {
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
    // At a terminal the driver's own words help when no translation fits (a failing migration's
    // SQL error, say); passwords are masked all the same.
    const translated = translateStartupError(error, environment.logFile, environment.databaseUrl);
    const cause = (error as { cause?: Error }).cause;
    const detail = translated.code === 'INTERNAL' ? [error.message, cause?.message].filter(Boolean).join(': ') : translated.message;
    console.error(`simple-db ${environment.version}: ${redactSecrets(detail)}`);
    process.exit(1);
  },
);
