import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { UsersScreen } from './pages/UsersScreen';
import {
  createScratchDatabase,
  databaseUrl,
  dropScratchDatabase,
  embeddedConnection,
  lockTable,
  withDatabase,
  type EmbeddedConnection,
} from './support/database';
import { callApi, serverAddress } from './support/server';
import { startSimpleDb, type SimpleDbProcess } from '../support/simple-db-process';

/** Enough rows that totals are the planner's estimate ("about …"), as on a big production table. */
const BULK = 12_000;
/** How many of them match the search the tests count. */
const NEEDLES = 1_234;

/**
 * "Count exactly" on a table big enough to be estimated. Its own database and browser-mode
 * server, so the bulk rows never reach the other tests' lists.
 */
test.describe('counting users exactly', () => {
  let request: APIRequestContext;
  let connection: EmbeddedConnection;
  let database = '';
  let dataDir = '';
  let server: SimpleDbProcess | undefined;

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(180_000);
    request = await playwright.request.newContext();
    connection = await embeddedConnection(request);
    database = await createScratchDatabase(connection);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-db-e2e-count-'));
    server = await startSimpleDb({ dataDir, databaseUrl: databaseUrl(connection, database) });
    await callApi(request, 'migrations.up', {}, serverAddress(server.url));
    await withDatabase(
      connection,
      async (client) => {
        await client.query(
          `INSERT INTO users (email, name)
           SELECT CASE WHEN n <= $1 THEN 'needle-' ELSE 'bulk-' END || n || '@example.com', 'Bulk user ' || n
           FROM generate_series(1, $2::int) AS n`,
          [NEEDLES, BULK],
        );
        // The statistics a production table would have, so totals are estimates.
        await client.query('ANALYZE users');
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

  test('shows the running count in the jobs indicator, then the exact count in place of the estimate', async ({ page }) => {
    const screen = new UsersScreen(page);
    const shell = new AppShell(page);
    await screen.open(server!.url);
    await expect(screen.total).toHaveText(/^about [\d,]+ users$/);
    await screen.searchFor('needle');
    await expect(screen.total).toHaveText(/^about [\d,]+ users?$/);

    const lock = await lockTable(connection, database, 'users');
    try {
      await screen.countExactlyButton.click();
      await expect(shell.jobsButton).toHaveText('Jobs (1 running)');
      const panel = await shell.openJobs();
      const job = panel.job(/needle/);
      await expect(job).toBeVisible();
      await expect(panel.progressBar(job)).toBeVisible();
      await expect(panel.cancelButton(job)).toBeVisible();
      // The estimate stays until the count is in.
      await expect(screen.total).toHaveText(/^about /);
    } finally {
      await lock.release();
    }

    await expect(screen.total).toHaveText(`${NEEDLES.toLocaleString('en-US')} users`);
    // Said wherever the admin is, too.
    await expect(shell.toasts.getByRole('status')).toHaveText(`${NEEDLES.toLocaleString('en-US')} users match “needle”.`);
    await expect(screen.countExactlyButton).toHaveCount(0);
    const job = shell.jobsPanel.job(/needle/);
    await expect(shell.jobsPanel.progressBar(job)).toHaveCount(0);
    await expect(job).toContainText(NEEDLES.toLocaleString('en-US'));
    await expect(shell.jobsButton).toHaveText('Jobs');

    // Another search: its estimate again, with the action to count it.
    await screen.searchFor('bulk-1');
    await expect(screen.total).toHaveText(/^about [\d,]+ users?$/);
    await expect(screen.countExactlyButton).toBeVisible();
  });

  test('a running count can be cancelled from the jobs panel; the estimate stays', async ({ page }) => {
    const screen = new UsersScreen(page);
    const shell = new AppShell(page);
    await screen.open(server!.url);
    await screen.searchFor('bulk');
    await expect(screen.total).toHaveText(/^about [\d,]+ users$/);
    const estimate = await screen.total.textContent();

    const lock = await lockTable(connection, database, 'users');
    try {
      await screen.countExactlyButton.click();
      const panel = await shell.openJobs();
      const job = panel.job(/bulk/);
      await expect(panel.progressBar(job)).toBeVisible();
      await panel.cancelButton(job).click();
      await expect(job).toContainText('Cancelled');
      await expect(shell.toasts.getByRole('status')).toHaveText('Count users matching “bulk”: cancelled.');
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
