import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { embeddedConnection, lockTable, withDatabase } from './support/database';
import { countUsers, createUser, uniqueTag } from './support/server';

/** The Users screen's CSV buttons and dialogs, as an admin finds them. */
class Transfer {
  readonly exportButton: Locator;
  readonly importButton: Locator;
  readonly exportDialog: Locator;
  readonly importDialog: Locator;
  readonly fileInput: Locator;
  readonly startImport: Locator;
  readonly importProgress: Locator;
  readonly cancelImport: Locator;
  readonly problems: Locator;
  readonly close: Locator;

  constructor(page: Page) {
    this.exportButton = page.getByRole('button', { name: 'Export CSV', exact: true });
    this.importButton = page.getByRole('button', { name: 'Import CSV…', exact: true });
    this.exportDialog = page.getByRole('dialog', { name: 'Export users' });
    this.importDialog = page.getByRole('dialog', { name: 'Import users' });
    this.fileInput = this.importDialog.getByLabel('CSV file');
    this.startImport = this.importDialog.getByRole('button', { name: 'Start import', exact: true });
    this.importProgress = this.importDialog.getByRole('group', { name: 'Import progress' });
    this.cancelImport = this.importDialog.getByRole('button', { name: 'Cancel import', exact: true });
    this.problems = this.importDialog.getByRole('table', { name: 'Problems found in the file' });
    this.close = page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true });
  }

  /** Opens Import, picks `file` (sent to Simple DB at once) and waits until it is ready to import. */
  async chooseFile(file: string): Promise<void> {
    await this.importButton.click();
    await expect(this.importDialog).toBeVisible();
    await this.fileInput.setInputFiles(file);
    await expect(this.importDialog.getByText(`Ready: ${path.basename(file)}`, { exact: false })).toBeVisible({ timeout: 30_000 });
  }
}

let folder: string;

test.beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'simple-db-e2e-transfer-'));
});

test.afterAll(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});

async function writeCsv(name: string, lines: readonly string[]): Promise<string> {
  const file = path.join(folder, name);
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

test.describe('CSV export and import of users', () => {
  test('Export writes exactly the users the list shows, in its order, and the download arrives', async ({ page, request }) => {
    const tag = uniqueTag();
    const emails = ['c', 'a', 'b'].map((letter) => `export-${letter}-${tag}@example.com`);
    for (const email of emails) await createUser(request, email, `Export ${email.slice(7, 8).toUpperCase()} ${tag}`);
    const screen = new UsersScreen(page);
    const transfer = new Transfer(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(3);
    await screen.reloadingList(() => screen.sortButton('Email').click());
    await expect(transfer.exportButton).toHaveAccessibleDescription('Export 3 matching users as CSV');

    // Held so the export waits on the table: its progress is on screen until the lock goes.
    const connection = await embeddedConnection(request);
    const lock = await lockTable(connection, connection.database, 'users');
    const downloaded = page.waitForEvent('download');
    try {
      await transfer.exportButton.click();
      await expect(transfer.exportDialog).toBeVisible();
      await expect(transfer.exportDialog).toContainText('Export 3 matching users as CSV, in the list’s order.');
      await expect(transfer.exportDialog.getByRole('group', { name: 'Export progress' })).toBeVisible();
      await expect(transfer.exportDialog.getByRole('button', { name: 'Cancel export', exact: true })).toBeVisible();
    } finally {
      await lock.release();
    }
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^users-[\w-]+\.csv$/);
    await expect(transfer.exportDialog.getByRole('status')).toHaveText(/^Exported 3 users \([\d.,]+ (bytes|kB)\) — users-[\w-]+\.csv$/);

    const downloadPath = await download.path();
    const lines = (await fs.readFile(downloadPath, 'utf8')).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('id,email,name,created_at');
    // Sorted by email, as the list was.
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([...emails].sort());
    await transfer.close.click();
    await expect(transfer.exportDialog).toBeHidden();
  });

  test('a file with bad lines is reported by line and column, counted in lines, and nothing is imported until skip mode is chosen', async ({
    page,
  }) => {
    const tag = uniqueTag();
    const file = await writeCsv(`bad-${tag}.csv`, [
      'email,name',
      `good-${tag}@example.com,Good ${tag}`,
      `not-an-email-${tag},Bad Email ${tag}`,
      `empty-name-${tag}@example.com,`,
      `good-${tag}@example.com,Twice ${tag}`,
      // Markup in a bad value is shown as the text it is.
      `<b>markup-${tag}</b>,Markup ${tag}`,
      // Two problems (no email, no name) on one bad line.
      ',',
    ]);
    const screen = new UsersScreen(page);
    const transfer = new Transfer(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(0);

    await transfer.chooseFile(file);
    await expect(transfer.importDialog).toContainText('email and name');
    await expect(transfer.importDialog.getByRole('radio', { name: 'Reject the whole file on any bad line' })).toBeChecked();
    await transfer.startImport.click();

    const status = transfer.importDialog.getByRole('status');
    await expect(
      status.getByText('Nothing was imported: 5 bad lines (reject mode writes nothing when a line is bad).', { exact: true }),
    ).toBeVisible();
    await expect(transfer.importDialog.getByRole('heading', { name: '6 problems on 5 lines' })).toBeVisible();
    await expect(transfer.problems).toBeVisible();
    const lines = await transfer.problems.locator('tbody tr > td:nth-child(1)').allTextContents();
    expect(lines).toEqual(expect.arrayContaining(['3', '4', '5', '6', '7']));
    await expect(transfer.problems.getByRole('row').filter({ hasText: `not-an-email-${tag}` })).toContainText('email');
    await expect(transfer.problems.getByRole('cell', { name: `<b>markup-${tag}</b>`, exact: true })).toBeVisible();
    await expect(transfer.problems.locator('b')).toHaveCount(0);
    await expect(transfer.importDialog.getByRole('button', { name: 'Download report (CSV)' })).toBeVisible();

    const report = page.waitForEvent('download');
    await transfer.importDialog.getByRole('button', { name: 'Download report (CSV)' }).click();
    const reportText = await fs.readFile(await (await report).path(), 'utf8');
    expect(reportText).toContain(`not-an-email-${tag}`);

    // The same file again in skip mode: the same 5 bad lines, now left out.
    await screen.reloadingList(() => transfer.importDialog.getByRole('button', { name: 'Import again, skipping bad lines' }).click());
    await expect(status.getByText('Imported 1 user; 5 bad lines skipped.', { exact: true })).toBeVisible();
    await transfer.close.click();
    await expect(transfer.importDialog).toBeHidden();
    await page.reload();
    await screen.waitForList();
    await screen.searchFor(tag);
    await screen.expectTotal(1);
  });

  test('a quote out of place stops the file in skip mode too: the line is named and skipping is not offered', async ({ page }) => {
    const tag = uniqueTag();
    const file = await writeCsv(`quote-${tag}.csv`, [
      'email,name',
      `q1-${tag}@example.com,Fine ${tag}`,
      `q2-${tag}@example.com,"unterminated ${tag}`,
      `q3-${tag}@example.com,Fine ${tag}`,
    ]);
    const screen = new UsersScreen(page);
    const transfer = new Transfer(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(0);

    await transfer.chooseFile(file);
    await expect(transfer.importDialog.getByText('any other bad line and nothing is written')).toBeVisible();
    await transfer.importDialog.getByRole('radio', { name: 'Skip bad lines' }).check();
    await transfer.startImport.click();

    const status = transfer.importDialog.getByRole('status');
    await expect(status).toContainText(
      'Nothing was imported: line 3 could not be read (a quote out of place), so the rest of the file was not read.',
    );
    await expect(status).toContainText('Fix that line and import again.');
    await expect(status).not.toContainText(/reject|skip/i);
    await expect(transfer.problems.locator('tbody tr > td:nth-child(1)')).toHaveText(['3']);
    await expect(transfer.importDialog.getByRole('button', { name: 'Import again, skipping bad lines' })).toHaveCount(0);
    await transfer.close.click();
    await expect(transfer.importDialog).toBeHidden();
    await page.reload();
    await screen.waitForList();
    await screen.searchFor(tag);
    await screen.expectTotal(0);
  });

  test('a good file is imported and its users appear in the list', async ({ page }) => {
    const tag = uniqueTag();
    const emails = [1, 2, 3].map((n) => `import-${n}-${tag}@example.com`);
    const file = await writeCsv(`good-${tag}.csv`, ['email,name', ...emails.map((email, i) => `${email},"Imported ${i + 1}, ${tag}"`)]);
    const screen = new UsersScreen(page);
    const transfer = new Transfer(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(0);

    await transfer.chooseFile(file);
    await screen.reloadingList(() => transfer.startImport.click());
    await expect(transfer.importDialog.getByRole('status').filter({ hasText: 'Imported 3 users.' })).toBeVisible();
    await transfer.close.click();
    await screen.expectTotal(3);
    for (const email of emails) await expect(screen.row(email)).toBeVisible();
    await expect(screen.row(emails[0]!)).toContainText(`Imported 1, ${tag}`);
  });

  test('Cancel during an import leaves the table as it was', async ({ page, request }) => {
    test.setTimeout(180_000);
    const tag = uniqueTag();
    const lines = ['email,name'];
    for (let n = 0; n < 300_000; n += 1) lines.push(`cancel-${n}-${tag}@example.com,Cancel ${n} ${tag}`);
    const file = await writeCsv(`big-${tag}.csv`, lines);
    const before = await countUsers(request);
    const screen = new UsersScreen(page);
    const transfer = new Transfer(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(0);
    await transfer.chooseFile(file);

    // Held so the import, once it has read the file, waits to write: the cancel lands mid-way.
    const connection = await embeddedConnection(request);
    const lock = await lockTable(connection, connection.database, 'users');
    try {
      await transfer.startImport.click();
      await expect(transfer.importProgress).toBeVisible();
      // The file read to its end (300,000 rows counted), and now waiting to check and write them.
      await expect(transfer.importProgress).toContainText('Checking and writing users', { timeout: 60_000 });
      await expect(transfer.importProgress).toContainText('300,000');
      await transfer.cancelImport.click();
      await expect(transfer.importDialog.getByText('Cancelled: nothing was imported.', { exact: true })).toBeVisible({ timeout: 30_000 });
    } finally {
      await lock.release();
    }
    await transfer.close.click();
    await page.reload();
    await screen.waitForList();
    await screen.searchFor(tag);
    await screen.expectTotal(0);
    expect(await countUsers(request)).toBe(before);
    const left = await withDatabase(connection, async (client) => {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE email LIKE $1', [`cancel-%-${tag}@example.com`]);
      return Number(rows[0]?.n);
    });
    expect(left).toBe(0);
  });
});
