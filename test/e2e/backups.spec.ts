import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import type { BackupEntry, BackupOptionsInput, Job } from '../../src/shared/contract';
import { BackupsScreen } from './pages/BackupsScreen';
import {
  createScratchDatabase,
  databaseUrl,
  dropScratchDatabase,
  embeddedConnection,
  lockTable,
  withDatabase,
  type EmbeddedConnection,
} from './support/database';
import { callApi, migrateUp, serverAddress, uniqueTag, type ServerAddress } from './support/server';
import { startSimpleDb, type SimpleDbProcess } from '../support/simple-db-process';

/**
 * In the page: how the history lays out a backup's name, one string per line (its characters
 * grouped by their top). A script, as the tests are not compiled against the DOM's types.
 */
function nameLinesScript(name: string): string {
  return `(() => {
    const element = [...document.querySelectorAll('.backup-name')].find((candidate) => candidate.textContent === ${JSON.stringify(name)});
    if (!element) return null;
    const range = document.createRange();
    const lines = new Map();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent || '';
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        lines.set(top, (lines.get(top) || '') + text[i]);
      }
    }
    return [...lines.values()];
  })()`;
}

/** Rows the scratch database starts with, so backups have counts to show and restores to compare. */
const USERS = 40;
const PRODUCTS = 12;

/**
 * Backups and restores overwrite a database, so these tests have their own database and their own
 * browser-mode server (and with it their own backups folder): nothing reaches the other tests.
 */
test.describe('backups', () => {
  let request: APIRequestContext;
  let connection: EmbeddedConnection;
  let database = '';
  let dataDir = '';
  let server: SimpleDbProcess | undefined;
  let address: ServerAddress;

  /** Takes a backup through the API (arranging, not what is tested) and waits for its job to end. */
  async function backUpThroughApi(options?: BackupOptionsInput): Promise<BackupEntry> {
    const { jobId } = await callApi(request, 'backups.create', options ? { options } : {}, address);
    let job: Job | undefined;
    await expect
      .poll(
        async () => {
          job = await callApi(request, 'jobs.get', { id: jobId }, address);
          return job.state;
        },
        { timeout: 60_000 },
      )
      .not.toBe('running');
    expect(job?.error?.message ?? null).toBeNull();
    expect(job?.state).toBe('succeeded');
    return job?.result as BackupEntry;
  }

  async function backupNames(): Promise<string[]> {
    return (await callApi(request, 'backups.list', {}, address)).backups.map((entry) => entry.name);
  }

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(180_000);
    request = await playwright.request.newContext();
    connection = await embeddedConnection(request);
    database = await createScratchDatabase(connection);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-e2e-backups-'));
    server = await startSimpleDb({ dataDir, databaseUrl: databaseUrl(connection, database) });
    address = serverAddress(server.url);
    await migrateUp(request, address);
    await withDatabase(
      connection,
      async (client) => {
        await client.query(
          `INSERT INTO users (email, name) SELECT 'backup-' || n || '@example.com', 'Backup user ' || n FROM generate_series(1, $1::int) AS n`,
          [USERS],
        );
        await client.query(
          `INSERT INTO products (name, owner_id) SELECT 'Product ' || n, (SELECT min(id) FROM users) FROM generate_series(1, $1::int) AS n`,
          [PRODUCTS],
        );
      },
      database,
    );
  });

  test.afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      server = undefined;
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (database) await dropScratchDatabase(connection, database);
      await request?.dispose();
    }
  });

  test('Back up now: one click, its progress while it runs, then the new row in the history, verified', async ({ page }) => {
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    await expect(screen.emptyState).toBeVisible();

    const lock = await lockTable(connection, database, 'users');
    try {
      await screen.backUpNow.click();
      await expect(screen.progress).toBeVisible();
      await expect(screen.progressBar).toBeVisible();
      await expect(screen.cancelBackup).toBeVisible();
      // One at a time: the button refuses while this one runs.
      await expect(screen.backUpNow).toBeDisabled();
    } finally {
      await lock.release();
    }

    const done = screen.notice(/^Backup written and verified: /);
    await expect(done).toBeVisible({ timeout: 60_000 });
    await expect(screen.progress).toHaveCount(0);
    const name = ((await done.textContent()) ?? '').replace('Backup written and verified: ', '').trim();
    expect(await backupNames()).toContain(name);

    const row = screen.row(name);
    await expect(row).toHaveClass(/highlight/);
    await expect(screen.verification(name)).toContainText('Verified ✓');
    await expect(row).toContainText('Manual');
    await expect(row).toContainText('Custom');
    await expect(row).toContainText(`users ${USERS}`);
    await expect(row).toContainText(`products ${PRODUCTS}`);
    await expect(screen.backUpNow).toBeEnabled();
  });

  test('a running backup can be cancelled, and no file is kept', async ({ page }) => {
    const before = await backupNames();
    const screen = new BackupsScreen(page);
    await screen.open(address.url);

    const lock = await lockTable(connection, database, 'users');
    try {
      await screen.backUpNow.click();
      await expect(screen.cancelBackup).toBeVisible();
      await screen.cancelBackup.click();
      await expect(screen.notice('Backup cancelled. No file was kept.')).toBeVisible();
      await expect(screen.progress).toHaveCount(0);
    } finally {
      await lock.release();
    }
    expect(await backupNames()).toEqual(before);
  });

  test('Options show the exact command line, follow the choices, and copy it', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: address.origin });
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    await screen.optionsButton.click();
    await expect(screen.optionsButton).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.optionsPanel;
    const commandLine = panel.getByLabel('Command line', { exact: true });
    await expect(commandLine).toContainText('pg_dump');
    await expect(commandLine).toContainText('--format=c');

    await panel.getByLabel('Format', { exact: true }).selectOption({ label: 'Plain SQL' });
    await expect(commandLine).toContainText('--format=p');
    // Plain SQL is not compressed: the choice is not offered.
    await expect(panel.getByLabel('Compression level')).toHaveCount(0);

    await panel.getByLabel('Only these tables (schema.table, one per line)').fill('users');
    await expect(panel.getByText('“users”: name a table as schema.table, e.g. public.users.')).toBeVisible();
    await expect(screen.backUpWithOptions).toBeDisabled();
    await panel.getByLabel('Only these tables (schema.table, one per line)').fill('public.users');
    await expect(commandLine).toContainText('--table=');
    await expect(screen.backUpWithOptions).toBeEnabled();

    await panel.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(panel.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(copied).toBe(await commandLine.textContent());
    expect(copied).not.toContain(connection.password);
  });

  test('Verify checks a backup again and says what it found; a damaged file fails', async ({ page }) => {
    const good = await backUpThroughApi();
    const damaged = await backUpThroughApi();
    const screen = new BackupsScreen(page);
    await screen.open(address.url);

    await screen.verifyButton(good.name).click();
    await expect(screen.notice(`Verified ${good.name}: `)).toBeVisible();
    await expect(screen.verification(good.name)).toContainText('Verified ✓');

    // Cut the file short on disk, as a failing disk or an interrupted copy would.
    fs.truncateSync(damaged.path, Math.floor(damaged.size / 2));
    await screen.verifyButton(damaged.name).click();
    await expect(screen.notice(`Verification failed for ${damaged.name}: `)).toBeVisible();
    await expect(screen.verification(damaged.name)).toContainText('Failed');
  });

  test('Download hands the file to the browser', async ({ page }) => {
    const entry = await backUpThroughApi();
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    const download = page.waitForEvent('download');
    await screen.downloadButton(entry.name).click();
    expect((await download).suggestedFilename()).toBe(entry.name);
  });

  test('Delete asks first, naming the file; Cancel keeps it, Delete removes it', async ({ page }) => {
    const entry = await backUpThroughApi();
    const screen = new BackupsScreen(page);
    await screen.open(address.url);

    await screen.deleteButton(entry.name).click();
    const dialog = screen.deleteDialog;
    await expect(dialog.root).toContainText(`Delete ${entry.name} and its manifest? This cannot be undone.`);
    await expect(dialog.cancel).toBeFocused();
    await dialog.cancel.click();
    await expect(dialog.root).toBeHidden();
    await expect(screen.row(entry.name)).toBeVisible();

    await screen.deleteButton(entry.name).click();
    await dialog.confirm.click();
    await expect(dialog.root).toBeHidden();
    await expect(screen.row(entry.name)).toHaveCount(0);
    expect(await backupNames()).not.toContain(entry.name);
  });

  test('restore: the pre-flight lists the tables and what will be replaced, Restore waits for the typed name, and the result names the safety backup', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const entry = await backUpThroughApi();
    // Changed after the backup: the restore must take it away again.
    const tag = uniqueTag();
    const later = `later-${tag}@example.com`;
    await withDatabase(connection, (client) => client.query(`INSERT INTO users (email, name) VALUES ($1, 'Added later')`, [later]), database);

    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    const dialog = screen.restoreDialog;
    // While the pre-flight runs (slowed here by a lock it waits on) focus is on Cancel, not on a choice.
    const lock = await lockTable(connection, database, 'products');
    try {
      await screen.restoreButton(entry.name).click();
      await expect(dialog.checking).toBeVisible();
      await expect(dialog.cancel).toBeFocused();
    } finally {
      await lock.release();
    }
    await dialog.waitForPreflight();
    // Then on the confirmation field, where the admin types next.
    await expect(dialog.confirmField).toBeFocused();

    await expect(dialog.fileTables.getByRole('row').filter({ hasText: 'users' }).first()).toContainText(String(USERS));
    await expect(dialog.fileTables).toContainText('products');
    await expect(dialog.replaced(database)).toContainText('users');
    await expect(dialog.replaceTarget).toBeChecked();
    await expect(dialog.safetyBackup).toBeChecked();
    await expect(dialog.commandLine).toContainText('psql');
    expect(await dialog.commandLine.textContent()).not.toContain(connection.password);

    // Nothing runs until the database's name is typed exactly: Enter does nothing before that.
    await expect(dialog.confirmFieldFor(database)).toBeVisible();
    await expect(dialog.restoreButton).toBeDisabled();
    await page.keyboard.type(database.toUpperCase());
    await expect(dialog.restoreButton).toBeDisabled();
    await page.keyboard.press('Enter');
    await expect(dialog.progress).toHaveCount(0);
    await expect(dialog.confirmField).toBeFocused();
    await dialog.confirmField.fill(database);
    await expect(dialog.restoreButton).toBeEnabled();

    // Enter in the confirmation field starts the restore, as the Restore button would.
    await dialog.confirmField.press('Enter');
    await expect(dialog.status(`Restored ${entry.name} into ${database}.`)).toBeVisible({ timeout: 90_000 });
    const safety = dialog.root.getByText(/^Safety backup taken first: /);
    await expect(safety).toBeVisible();
    const safetyName = ((await safety.textContent()) ?? '').replace('Safety backup taken first: ', '').trim();
    await expect(dialog.rowCounts).toContainText('users');
    await expect(dialog.root.getByText('Row counts match the backup.', { exact: true })).toBeVisible();

    await dialog.close.click();
    await expect(dialog.root).toBeHidden();
    await expect(screen.row(safetyName)).toContainText('Safety');

    const emails = await withDatabase(connection, (client) => client.query<{ email: string }>('SELECT email FROM users'), database);
    expect(emails.rows).toHaveLength(USERS);
    expect(emails.rows.map((row) => row.email)).not.toContain(later);
  });

  test('a plain file that would run a shell command is refused at the pre-flight, naming the line', async ({ page }) => {
    const { folder } = await callApi(request, 'backups.list', {}, address);
    const marker = path.join(os.tmpdir(), `simple-db-e2e-evil-${uniqueTag()}`);
    const lines = [
      '--',
      '-- PostgreSQL database dump',
      '--',
      '',
      '-- Dumped from database version 15.4',
      '-- Dumped by pg_dump version 15.4',
      '',
      'SET statement_timeout = 0;',
      "SET client_encoding = 'UTF8';",
      `\\! touch ${marker}`,
      'CREATE TABLE public.evil (id integer);',
      '',
      '--',
      '-- PostgreSQL database dump complete',
      '--',
      '',
    ];
    const line = lines.findIndex((text) => text.startsWith('\\!')) + 1;
    const file = path.join(folder, 'evil.sql');
    // Dropped in by hand, as an admin would copy a file from elsewhere (the folder is made by the first backup).
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, lines.join('\n'));
    try {
      const screen = new BackupsScreen(page);
      await screen.open(address.url);
      await expect(screen.row('evil.sql')).toContainText('No manifest');
      const dialog = await screen.openRestore('evil.sql');

      await expect(dialog.problems).toContainText(`Line ${line} asks psql to run`);
      await expect(dialog.problems).toContainText(`touch ${marker}`);
      await expect(dialog.problems).toContainText('Blocks the restore');
      // Typing the name does not make it restorable.
      await dialog.confirmField.fill(database);
      await expect(dialog.restoreButton).toBeDisabled();
      await dialog.cancel.click();
      await expect(dialog.root).toBeHidden();
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      fs.rmSync(file, { force: true });
      fs.rmSync(marker, { force: true });
    }
  });

  test('restore into a new database: nothing is checked or confirmable until it has a name, then its name is what is typed', async ({ page }) => {
    test.setTimeout(120_000);
    const entry = await backUpThroughApi();
    const copy = `${database}_copy`;
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    const dialog = await screen.openRestore(entry.name);

    await dialog.newTarget.check();
    await expect(dialog.nameNeeded).toBeVisible();
    // No check ran for an empty name: nothing names the connected database as the one to create or to type.
    await expect(dialog.confirmField).toHaveCount(0);
    await expect(dialog.root).not.toContainText(`A new database ${database}`);
    await expect(dialog.restoreButton).toBeDisabled();

    try {
      await dialog.newDatabaseName.fill(copy);
      await expect(dialog.confirmFieldFor(copy)).toBeVisible();
      await dialog.waitForPreflight();
      await expect(dialog.nameNeeded).toHaveCount(0);
      await expect(dialog.root).toContainText(`A new database ${copy} is created for the restore`);
      await expect(dialog.safetyBackup).toHaveCount(0);
      await dialog.confirmField.fill(database);
      await expect(dialog.restoreButton).toBeDisabled();
      await dialog.confirmField.fill(copy);
      await expect(dialog.restoreButton).toBeEnabled();
      await dialog.restoreButton.click();

      await expect(dialog.status(`Restored ${entry.name} into ${copy}.`)).toBeVisible({ timeout: 90_000 });
      await expect(dialog.root.getByText('Nothing was replaced, so no safety backup was needed.', { exact: true })).toBeVisible();
      await expect(dialog.root.getByText('Row counts match the backup.', { exact: true })).toBeVisible();
      const copied = await withDatabase(connection, (client) => client.query<{ count: string }>('SELECT count(*) AS count FROM products'), copy);
      expect(Number(copied.rows[0]?.count)).toBe(PRODUCTS);
      await dialog.close.click();
    } finally {
      await dropScratchDatabase(connection, copy);
    }
  });

  test('the history stays readable in a narrow window: names wrap only at - _ . and the table scrolls sideways', async ({ page }) => {
    const entry = await backUpThroughApi();
    await page.setViewportSize({ width: 800, height: 700 });
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    const name = screen.nameCell(entry.name);
    await expect(name).toBeVisible();
    const width = (await name.boundingBox())?.width ?? 0;
    // Wide enough for the name's longest piece ("e2e_1a2b3c4d-", "140512."), not a letter or two.
    expect(width).toBeGreaterThan(140);
    // Each line of the name ends at one of its separators (or the name's end), never mid-piece.
    const lines = await page.evaluate<string[] | null>(nameLinesScript(entry.name));
    expect(lines?.join('')).toBe(entry.name);
    for (const line of lines?.slice(0, -1) ?? []) expect(line).toMatch(/[-_.]$/);
    await expect(screen.rowCounts(entry.name)).toContainText(`users ${USERS}`);
    expect((await screen.rowCounts(entry.name).boundingBox())?.width ?? 0).toBeGreaterThan(120);
    // The rest of the table is reached by scrolling the content sideways.
    const main = page.getByRole('main');
    expect(await main.evaluate((node: { scrollWidth: number; clientWidth: number }) => node.scrollWidth > node.clientWidth)).toBe(true);
  });

  test('a partial backup is marked in the history, and restoring it over the database is refused: it would drop tables it does not bring back', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const screen = new BackupsScreen(page);
    await screen.open(address.url);
    try {
      await screen.optionsButton.click();
      await screen.optionsPanel.getByLabel('Only these tables (schema.table, one per line)').fill('public.users');
      await expect(screen.backUpWithOptions).toBeEnabled();
      await screen.backUpWithOptions.click();
      const done = screen.notice(/^Backup written and verified: /);
      await expect(done).toBeVisible({ timeout: 60_000 });
      const name = ((await done.textContent()) ?? '').replace('Backup written and verified: ', '').trim();

      await expect(screen.kind(name)).toContainText('Manual');
      await expect(screen.kind(name)).toContainText('partial: only public.users');

      const dialog = await screen.openRestore(name);
      // A new action: the banner about the last one is gone.
      await expect(done).toHaveCount(0);
      await expect(dialog.notBroughtBack).toContainText('public.products');
      await expect(dialog.notBroughtBack).not.toContainText('public.users');
      await expect(dialog.replaced(database)).toContainText('public.users');
      await expect(dialog.replaced(database)).not.toContainText('public.products');
      // The backend refuses it as a blocking 'partial-backup' problem.
      await expect(dialog.problems).toContainText('Blocks the restore');
      await expect(dialog.problems).toContainText('public.products');
      await dialog.confirmField.fill(database);
      await expect(dialog.restoreButton).toBeDisabled();
      await dialog.confirmField.press('Enter');
      await expect(dialog.progress).toHaveCount(0);
      await dialog.cancel.click();
      await expect(dialog.root).toBeHidden();
    } finally {
      // "Back up with these options" remembered them: later backups cover the whole database again.
      await backUpThroughApi({ tables: [], content: 'all' });
    }
  });
});
