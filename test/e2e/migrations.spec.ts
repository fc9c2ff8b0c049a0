import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { UsersScreen } from './pages/UsersScreen';
import {
  createScratchDatabase,
  databaseUrl,
  dropScratchDatabase,
  embeddedConnection,
  withDatabase,
  type EmbeddedConnection,
} from './support/database';
import { repoRoot, startSimpleDb, type SimpleDbProcess } from '../support/simple-db-process';

/** What this version of Simple DB needs, in the order it applies them (the runner sorts by name). */
const MIGRATIONS = fs
  .readdirSync(path.join(repoRoot, 'migrations'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.basename(file, '.ts'))
  .sort((a, b) => a.localeCompare(b));

/**
 * A database the admin brought (DATABASE_URL) is never migrated behind their back. Here that is
 * an empty database on the run's embedded server, opened by a second browser-mode server of its own.
 */
test.describe('a database given by DATABASE_URL', () => {
  let connection: EmbeddedConnection;
  let database = '';
  let dataDir = '';
  let server: SimpleDbProcess | undefined;

  test.beforeEach(async ({ request }) => {
    connection = await embeddedConnection(request);
    database = await createScratchDatabase(connection);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-e2e-url-'));
    server = await startSimpleDb({ dataDir, databaseUrl: databaseUrl(connection, database) });
  });

  test.afterEach(async () => {
    try {
      await server?.stop();
    } finally {
      server = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropScratchDatabase(connection, database);
    }
  });

  test('lists the pending migrations and applies them only after a confirmation that names the target', async ({ page }) => {
    expect(MIGRATIONS).toHaveLength(3);
    const pendingText = `${MIGRATIONS.length} migrations pending`;
    const target = `${connection.host}:${connection.port}/${database}`;
    const screen = new UsersScreen(page);
    const banner = page.getByRole('region', { name: pendingText });
    const applyButton = banner.getByRole('button', { name: 'Apply migrations', exact: true });
    const confirm = page.getByRole('dialog', { name: 'Apply migrations' });

    await page.goto(server!.url);
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('listitem')).toHaveText(MIGRATIONS);
    await expect(screen.statusBar).toContainText(pendingText);
    await expect(screen.statusBar).toContainText(target);
    await expect(screen.statusBar).not.toContainText('Embedded');
    // No users screen on a schema that cannot hold users yet.
    await expect(screen.table).toHaveCount(0);

    // The confirmation names the target and offers a backup first, ticked for a database the admin brought; Cancel changes nothing.
    await applyButton.click();
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText(`Apply ${MIGRATIONS.length} pending migrations to ${target}?`);
    await expect(confirm.getByRole('checkbox', { name: /Back up the database first/ })).toBeChecked();
    // Each index the list-indexes migration builds, with its purpose; on a database the admin brought, CONCURRENTLY.
    const plan = confirm.getByRole('region', { name: /^Indexes .*add-list-indexes builds$/ });
    await expect(plan).toContainText('CREATE INDEX CONCURRENTLY: the tables keep serving');
    await expect(plan.getByRole('listitem').filter({ hasText: 'ix_users_name_id' })).toContainText('sorting users by name');
    await expect(confirm.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(confirm).toBeHidden();
    // Asked afresh from the server: still pending.
    await page.reload();
    await expect(banner.getByRole('listitem')).toHaveText(MIGRATIONS);
    await expect(screen.statusBar).toContainText(pendingText);
    const tables = await withDatabase(connection, (client) => client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), database);
    expect(tables.rows).toEqual([]);

    // Apply: a backup is taken first, then the schema is current and the (empty) users table appears.
    await applyButton.click();
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(confirm).toBeHidden();
    const backups = fs.readdirSync(path.join(dataDir, 'backups'));
    const manifest = backups.find((name) => name.endsWith('.dump.manifest.json'));
    expect(manifest).toBeDefined();
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'backups', manifest!), 'utf8')) as {
      manifest: { kind: string; migrations: string[] };
    };
    expect(saved.manifest).toMatchObject({ kind: 'pre-migration', migrations: MIGRATIONS });
    await expect(screen.statusBar).toContainText('Schema up to date');
    await expect(banner).toHaveCount(0);
    await expect(screen.notice(`Applied ${MIGRATIONS.length} migrations.`)).toBeVisible();
    await screen.waitForList();
    await screen.expectTotal(0);
    await expect(page.getByText('No users yet. Create the first one.', { exact: true })).toBeVisible();

    // In the database itself, too.
    const applied = await withDatabase(
      connection,
      (client) => client.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name'),
      database,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(MIGRATIONS);

    // Under Backups, each applied migration names the backup taken just before it.
    const backupName = manifest!.replace(/\.manifest\.json$/, '');
    await new AppShell(page).navItem('Backups').click();
    await page.getByRole('button', { name: 'Schema migrations' }).click();
    for (const name of MIGRATIONS) {
      await expect(page.getByRole('listitem').filter({ hasText: name })).toContainText(`backup before it: ${backupName}`);
    }
  });
});
