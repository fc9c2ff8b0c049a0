import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { ConnectionSwitcher } from './pages/ConnectionsScreen';
import { UsersScreen } from './pages/UsersScreen';
import { BIG_BUILD_TIMEOUT, BIG_DATABASE, BIG_PROFILE, ensureBigDatabase } from './support/big-database';
import { embeddedConnection, lockTable, withDatabase, type EmbeddedConnection } from './support/database';

/**
 * "Count exactly" where totals are the planner's estimate: the shared database of a million users
 * (a search over hundreds of thousands of them cannot be counted within the page's time budget, so
 * its total is "about …", as on a big production table). Only read, never changed.
 */
test.describe('counting users exactly', () => {
  let request: APIRequestContext;
  let connection: EmbeddedConnection;

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(BIG_BUILD_TIMEOUT);
    request = await playwright.request.newContext();
    connection = await embeddedConnection(request);
    await ensureBigDatabase(request);
  });

  test.afterAll(async () => {
    await request?.dispose();
  });

  /** How many users "contains" finds for `search`, as the database counts them. */
  async function matching(search: string): Promise<number> {
    return withDatabase(
      connection,
      async (client) => {
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE email ILIKE $1 OR name ILIKE $1', [`%${search}%`]);
        return Number(rows[0]?.n);
      },
      BIG_DATABASE,
    );
  }

  async function openBig(page: Page): Promise<UsersScreen> {
    const screen = new UsersScreen(page);
    await screen.open();
    const switcher = new ConnectionSwitcher(page);
    await switcher.switchTo(BIG_PROFILE);
    await expect(switcher.root).toContainText(BIG_PROFILE);
    await screen.waitForList();
    return screen;
  }

  test('shows the running count in the jobs indicator, then the exact count in place of the estimate', async ({ page }) => {
    const search = 'example.com';
    const expected = (await matching(search)).toLocaleString('en-US');
    const screen = await openBig(page);
    const shell = new AppShell(page);
    await expect(screen.total).toHaveText(/^about [\d,]+ users$/);
    await screen.searchFor(search);
    await expect(screen.total).toHaveText(/^about [\d,]+ users?$/);

    const lock = await lockTable(connection, BIG_DATABASE, 'users');
    try {
      await screen.countExactlyButton.click();
      await expect(shell.jobsButton).toHaveText('Jobs (1 running)');
      const panel = await shell.openJobs();
      const job = panel.job(/example\.com/);
      await expect(job).toBeVisible();
      await expect(panel.progressBar(job)).toBeVisible();
      await expect(panel.cancelButton(job)).toBeVisible();
      // The estimate stays until the count is in.
      await expect(screen.total).toHaveText(/^about /);
    } finally {
      await lock.release();
    }

    await expect(screen.total).toHaveText(`${expected} users`, { timeout: 60_000 });
    // Said wherever the admin is, too.
    await expect(shell.toasts.getByRole('status')).toHaveText(`${expected} users match “${search}”.`);
    await expect(screen.countExactlyButton).toHaveCount(0);
    const job = shell.jobsPanel.job(/example\.com/);
    await expect(shell.jobsPanel.progressBar(job)).toHaveCount(0);
    await expect(job).toContainText(expected);
    await expect(shell.jobsButton).toHaveText('Jobs');
    // The list uses the count: its row numbers end at it on the last page.
    await screen.reloadingList(() => screen.lastButton.click());
    await expect(screen.bottomRowsLabel).toHaveText(new RegExp(`^Rows [\\d,]+–${expected} of ${expected}$`));

    // Another search: its estimate again, with the action to count it.
    await screen.searchFor('mail.example');
    await expect(screen.total).toHaveText(/^about [\d,]+ users?$/);
    await expect(screen.countExactlyButton).toBeVisible();
  });

  test('a running count can be cancelled from the jobs panel; the estimate stays', async ({ page }) => {
    const screen = await openBig(page);
    const shell = new AppShell(page);
    await screen.searchFor('inbox');
    await expect(screen.total).toHaveText(/^about [\d,]+ users$/);
    const estimate = await screen.total.textContent();

    const lock = await lockTable(connection, BIG_DATABASE, 'users');
    try {
      await screen.countExactlyButton.click();
      const panel = await shell.openJobs();
      const job = panel.job(/inbox/);
      await expect(panel.progressBar(job)).toBeVisible();
      await panel.cancelButton(job).click();
      await expect(job).toContainText('Cancelled');
      await expect(shell.toasts.getByRole('status')).toHaveText('Count users matching “inbox”: cancelled.');
      await expect(panel.progressBar(job)).toHaveCount(0);
      await expect(shell.jobsButton).toHaveText('Jobs');
      await expect(screen.total).toHaveText(estimate ?? '');
      await expect(page.getByText('Count cancelled.', { exact: true })).toBeVisible();
      await expect(screen.countExactlyButton).toBeVisible();

      // Each job says when it started, so repeated ones can be told apart.
      await expect(job).toContainText(/started \d{1,2}:\d{2}:\d{2}/);
      // Escape closes the panel wherever focus went (the Cancel button it was on is gone) and puts
      // focus back on the button that opened it.
      await page.keyboard.press('Escape');
      await expect(panel.root).toBeHidden();
      await expect(shell.jobsButton).toBeFocused();
      // A click outside closes it too.
      await shell.openJobs();
      await expect(panel.root).toBeVisible();
      await screen.heading.click();
      await expect(panel.root).toBeHidden();
    } finally {
      await lock.release();
    }
  });
});
