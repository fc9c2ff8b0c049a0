import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import pg from 'pg';
import { AppShell } from './pages/AppShell';
import { ConnectionSwitcher } from './pages/ConnectionsScreen';
import { UsersScreen } from './pages/UsersScreen';
import { BIG_BUILD_TIMEOUT, BIG_DATABASE, BIG_PROFILE, BIG_USERS, ensureBigDatabase } from './support/big-database';
import { embeddedConnection, lockTable, withDatabase, type EmbeddedConnection } from './support/database';
import { callApi, createUser, uniqueTag } from './support/server';

/** A page of the big list should come back this fast even on a slow CI machine (it is one index walk). */
const PAGE_MS = 5_000;

function numberIn(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** "Rows ≈500,001–500,025 of about 1,000,000" read back: the first and last row numbers and the total said. */
function parseRange(label: string): { first: number; last: number; total: number; approximate: boolean } {
  const match = /^Rows (≈?)([\d,]+)–([\d,]+) of (?:about )?([\d,]+)$/.exec(label);
  if (!match) throw new Error(`Not a rows label: ${label}`);
  return { approximate: match[1] === '≈', first: numberIn(match[2]!), last: numberIn(match[3]!), total: numberIn(match[4]!) };
}

function sequence(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Runs a move of the list and says how long the page took to come back. */
async function timed(screen: UsersScreen, action: () => Promise<void>): Promise<number> {
  const started = Date.now();
  await screen.reloadingList(action);
  const took = Date.now() - started;
  test.info().annotations.push({ type: 'page time', description: `${took} ms` });
  return took;
}

/**
 * The Users screen on a million users: the shared big database, read only (nothing here changes
 * its rows), reached through a saved connection and the sidebar's switcher, as an admin would.
 */
test.describe('a million users', () => {
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

  /** Opens the app, switches the window to the big database, waits for its first page. */
  async function openBig(page: Page): Promise<UsersScreen> {
    const screen = new UsersScreen(page);
    await screen.open();
    const switcher = new ConnectionSwitcher(page);
    await switcher.switchTo(BIG_PROFILE);
    await expect(switcher.root).toContainText(BIG_PROFILE);
    await screen.waitForList();
    await expect(screen.bottomRowsLabel).toHaveText(/^Rows 1–25 of (about )?[\d,]+$/);
    const total = numberIn((await screen.total.textContent())!.replace(/^about /, '').replace(/ users?$/, ''));
    // The planner's statistics, or a count: within a whisker of the real number either way.
    expect(Math.abs(total - BIG_USERS)).toBeLessThan(BIG_USERS * 0.02);
    return screen;
  }

  function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    return withDatabase(connection, async (client) => (await client.query(sql, values)).rows as T[], BIG_DATABASE);
  }

  test('row 500,000 and the last page are a click or two away, each one quick request', async ({ page }) => {
    const screen = await openBig(page);

    // A row number: the page lands about there, and says how it knows.
    expect(await timed(screen, () => screen.goTo.goTo('Row number or %', '500000'))).toBeLessThan(PAGE_MS);
    await expect(screen.goTo.outcome).toHaveText(/\S/);
    let range = parseRange((await screen.bottomRowsLabel.textContent())!);
    expect(Math.abs(range.first - 500_000)).toBeLessThan(BIG_USERS * 0.01);
    expect(range.last - range.first).toBe(24);
    // Ids follow row numbers here (no gaps): the rows shown are near the 500,000th.
    let ids = await screen.ids();
    expect(ids).toEqual(sequence(ids[0]!, ids[0]! + 24));
    expect(Math.abs(ids[0]! - 500_000)).toBeLessThan(BIG_USERS * 0.01);

    // A percentage.
    expect(await timed(screen, () => screen.goTo.goTo('Row number or %', '25%'))).toBeLessThan(PAGE_MS);
    range = parseRange((await screen.bottomRowsLabel.textContent())!);
    expect(Math.abs(range.first - 250_000)).toBeLessThan(BIG_USERS * 0.01);

    // Next from there keeps counting.
    expect(await timed(screen, () => screen.nextButton.click())).toBeLessThan(PAGE_MS);
    const after = parseRange((await screen.bottomRowsLabel.textContent())!);
    expect(after.first).toBe(range.first + 25);
    expect(after.approximate).toBe(range.approximate);

    // Last: one click, the very last rows, the row numbers ending at the total said.
    expect(await timed(screen, () => screen.lastButton.click())).toBeLessThan(PAGE_MS);
    expect(await screen.ids()).toEqual(sequence(BIG_USERS - 24, BIG_USERS));
    range = parseRange((await screen.bottomRowsLabel.textContent())!);
    expect(range.last).toBe(range.total);
    expect(range.last - range.first).toBe(24);
    await expect(screen.nextButton).toBeDisabled();
    await expect(screen.lastButton).toBeDisabled();
    await expect(screen.goTo.outcome).toHaveText('');

    // Previous from the end.
    expect(await timed(screen, () => screen.previousButton.click())).toBeLessThan(PAGE_MS);
    expect(await screen.ids()).toEqual(sequence(BIG_USERS - 49, BIG_USERS - 25));
    expect(parseRange((await screen.bottomRowsLabel.textContent())!).first).toBe(range.first - 25);

    // A user by id: their page, their row marked.
    expect(await timed(screen, () => screen.goTo.goTo('User ID', '424242'))).toBeLessThan(PAGE_MS);
    ids = await screen.ids();
    expect(ids[0]).toBe(424_242);
    await expect(screen.table.locator('tbody tr.highlight')).toHaveCount(1);
    await expect(screen.table.locator('tbody tr.highlight td').nth(1)).toHaveText('424242');
    await expect(screen.goTo.outcome).toHaveText(/\S/);

    // And back to the start.
    expect(await timed(screen, () => screen.firstButton.click())).toBeLessThan(PAGE_MS);
    expect(await screen.ids()).toEqual(sequence(1, 25));
    await expect(screen.bottomRowsLabel).toHaveText(/^Rows 1–25 of (about )?[\d,]+$/);
    await expect(screen.previousButton).toBeDisabled();
  });

  test('sorting by name walks the database order, from either end and from a name', async ({ page }) => {
    const screen = await openBig(page);
    const idsInOrder = async (sql: string, values: unknown[] = []) => (await query<{ id: number }>(sql, values)).map((row) => row.id);

    expect(await timed(screen, () => screen.sortButton('Name').click())).toBeLessThan(PAGE_MS);
    await expect(screen.columnHeader('Name')).toHaveAttribute('aria-sort', 'ascending');
    expect(await screen.ids()).toEqual(await idsInOrder('SELECT id FROM users ORDER BY name, id LIMIT 25'));
    await expect(screen.bottomRowsLabel).toHaveText(/^Rows 1–25 of /);

    expect(await timed(screen, () => screen.nextButton.click())).toBeLessThan(PAGE_MS);
    expect(await screen.ids()).toEqual(await idsInOrder('SELECT id FROM users ORDER BY name, id OFFSET 25 LIMIT 25'));
    await expect(screen.bottomRowsLabel).toHaveText(/^Rows 26–50 of /);

    expect(await timed(screen, () => screen.lastButton.click())).toBeLessThan(PAGE_MS);
    expect(await screen.ids()).toEqual((await idsInOrder('SELECT id FROM users ORDER BY name DESC, id DESC LIMIT 25')).reverse());

    // A name: the page starts at the first name from there, and is a true slice of the order.
    await expect(screen.goTo.mode.locator('option', { hasText: 'Name starting with' })).toHaveCount(1);
    expect(await timed(screen, () => screen.goTo.goTo('Name starting with', 'Mia'))).toBeLessThan(PAGE_MS);
    const names = await screen.columnTexts('name');
    expect(names[0]!.startsWith('Mia')).toBe(true);
    const ids = await screen.ids();
    expect(ids).toEqual(await idsInOrder('SELECT id FROM users WHERE (name, id) >= ($1, $2) ORDER BY name, id LIMIT 25', [names[0], ids[0]]));

    // Descending: the other end first.
    expect(await timed(screen, () => screen.sortButton('Name').click())).toBeLessThan(PAGE_MS);
    await expect(screen.columnHeader('Name')).toHaveAttribute('aria-sort', 'descending');
    expect(await screen.ids()).toEqual(await idsInOrder('SELECT id FROM users ORDER BY name DESC, id DESC LIMIT 25'));
  });

  test('a search shows as many rows as its count says; an email domain counted exactly ends where its last page does', async ({ page }) => {
    test.setTimeout(180_000);
    const screen = await openBig(page);

    // "99999@" is in ten emails: 99999, 199999, … 999999.
    const [reference] = await query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE email LIKE '%99999@%'`);
    expect(Number(reference!.n)).toBe(10);
    await screen.searchFor('99999@');
    await expect(screen.rows).toHaveCount(10);
    await screen.expectTotal(10);
    await expect(screen.bottomRowsLabel).toHaveText('Rows 1–10 of 10');
    await expect(screen.countExactlyButton).toHaveCount(0);

    // Every user at one domain: tens of thousands.
    const [domain] = await query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE email LIKE '%@web.example'`);
    const expected = Number(domain!.n);
    expect(expected).toBeGreaterThan(1_000);
    await screen.match.selectOption({ label: 'Email domain' });
    await screen.searchFor('web.example');
    if (await screen.countExactlyButton.isVisible()) {
      await screen.countExactlyButton.click();
    }
    await expect(screen.total).toHaveText(`${expected.toLocaleString('en-US')} users`, { timeout: 60_000 });
    await expect(screen.countExactlyButton).toHaveCount(0);
    await timed(screen, () => screen.lastButton.click());
    await expect(screen.bottomRowsLabel).toHaveText(
      `Rows ${(expected - 24).toLocaleString('en-US')}–${expected.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`,
    );
    for (const email of await screen.columnTexts('email')) expect(email.endsWith('@web.example')).toBe(true);
  });

  test('a count still running when the search changes is cancelled: no total of “e” is toasted under the list of “zo”', async ({ page }) => {
    const screen = await openBig(page);
    const shell = new AppShell(page);
    await screen.searchFor('e');
    await expect(screen.total).toHaveText(/^about [\d,]+ users$/);

    // The count is held up (the table locked) while the admin searches for something else.
    const lock = await lockTable(connection, BIG_DATABASE, 'users');
    try {
      await screen.countExactlyButton.click();
      await expect(shell.jobsButton).toHaveText('Jobs (1 running)');
      await screen.search.fill('zo');
      await expect(shell.toasts.getByRole('status')).toHaveText('Count users matching “e”: cancelled.');
      await expect(shell.jobsButton).toHaveText('Jobs');
    } finally {
      await lock.release();
    }
    await expect(screen.table).not.toHaveAttribute('aria-busy', 'true');
    await expect(screen.total).toHaveText(/^(about )?[\d,]+ users?$/);
    await expect(shell.toasts.getByText(/users match “e”/)).toHaveCount(0);
  });
});

/** Bulk deletes and a user's products: on the small shared database, never the big one. */
test.describe('many users at once', () => {
  test('tick rows, or every user matching, and delete them after a preview; a changed selection is caught', async ({ page, request }) => {
    test.setTimeout(120_000);
    const tag = uniqueTag();
    const prefix = `bulk-${tag}`;
    const users = [];
    for (let i = 1; i <= 30; i++) users.push(await createUser(request, `${prefix}-${String(i).padStart(2, '0')}@example.com`, `Bulk ${tag} ${i}`));
    // Three products lose their owner when users 1 and 2 go.
    for (const [owner, name] of [
      [users[0]!, 'Lamp'],
      [users[0]!, 'Desk'],
      [users[1]!, 'Chair'],
    ] as const) {
      await callApi(request, 'products.create', { name: `${name} ${tag}`, ownerId: owner.id });
    }
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(prefix);
    await screen.expectTotal(30);

    // Two ticked rows (on the first page: 25 rows, by id).
    await screen.rowCheckbox(users[24]!.email).check();
    await screen.rowCheckbox(users[23]!.email).check();
    await expect(screen.selectionBar).toContainText('2 users selected.');
    await expect(screen.pageCheckbox).toHaveJSProperty('indeterminate', true);
    await screen.deleteSelected.click();
    const dialog = screen.bulkDeleteDialog;
    await expect(dialog.root).toContainText('Delete 2 users? No products will lose their owner.');
    // Focus starts on Cancel: a stray Enter must not delete.
    await expect(dialog.cancel).toBeFocused();
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.notice('Deleted 2 users.')).toBeVisible();
    await screen.expectTotal(28);
    await expect(screen.selectionBar).toBeHidden();

    // The selection changes between the preview and the delete: nothing is deleted, and it says so.
    await screen.rowCheckbox(users[2]!.email).check();
    await screen.rowCheckbox(users[3]!.email).check();
    await screen.deleteSelected.click();
    await expect(dialog.root).toContainText('Delete 2 users?');
    await callApi(request, 'users.delete', { id: users[3]!.id });
    await dialog.confirm.click();
    await expect(dialog.root).toContainText('The selection changed — review again');
    await expect(dialog.root).toContainText('Nothing was deleted');
    await dialog.reviewAgain.click();
    await expect(dialog.root).toContainText('Delete 1 user? No products will lose their owner.');
    await expect(dialog.root).toContainText('Of the 2 selected users, 1 still exists');
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(screen.notice('Deleted 1 user.')).toBeVisible();
    await screen.expectTotal(26);

    // Every user matching: the page box, then "Select all 26 users matching".
    await screen.pageCheckbox.check();
    await expect(screen.selectionBar).toContainText('25 users selected.');
    await screen.selectAllMatching.click();
    await expect(screen.selectionBar).toContainText('All 26 users matching are selected.');
    await screen.deleteSelected.click();
    await expect(dialog.root).toContainText(`All users whose email or name contains “${prefix}”.`);
    await expect(dialog.root).toContainText('Delete 26 users? 3 products will lose their owner.');

    // While another session holds one of the rows the delete waits: its progress shows, and
    // cancelling deletes nothing.
    const connection = await embeddedConnection(request);
    const holder = new pg.Client(connection);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [users[27]!.id]);
      await dialog.confirm.click();
      await expect(dialog.progress).toBeVisible();
      await expect(dialog.progress.getByRole('progressbar')).toBeVisible();
      await expect(dialog.progress).toContainText('Deleting users');
      await dialog.cancelDelete.click();
      await expect(dialog.root).toContainText('Cancelled: nothing was deleted.');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    await dialog.close.click();
    await expect(dialog.root).toBeHidden();
    await screen.expectTotal(26);
    await expect(screen.selectionBar).toContainText('All 26 users matching are selected.');

    // Again, to the end this time.
    await screen.deleteSelected.click();
    await expect(dialog.root).toContainText('Delete 26 users? 3 products will lose their owner.');
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(screen.notice('Deleted 26 users; 3 products no longer have an owner.')).toBeVisible();
    await expect(screen.rows).toHaveCount(0);
    await expect(page.getByText(`No users match “${prefix}”.`, { exact: true })).toBeVisible();
    await expect(screen.selectionBar).toBeHidden();
    // The products stay, unowned.
    const left = await callApi(request, 'products.list', { search: tag, owner: { kind: 'none' } });
    expect(left.rows.map((product) => product.name).sort()).toEqual([`Chair ${tag}`, `Desk ${tag}`, `Lamp ${tag}`]);
  });

  test('on a read-only connection bulk delete is unavailable, and says why', async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `kept-${tag}@example.com`, `Kept ${tag}`);
    const connection = await embeddedConnection(request);
    const name = `E2E read-only ${tag}`;
    const profile = await callApi(request, 'connections.save', {
      profile: {
        name,
        host: connection.host,
        port: connection.port,
        database: connection.database,
        user: connection.user,
        ssl: { mode: 'disable' },
        readOnly: true,
      },
      secrets: { password: connection.password },
      keepSecretsInMemory: true,
    });
    try {
      await callApi(request, 'connections.open', { id: profile.id });
      const screen = new UsersScreen(page);
      await screen.open();
      await new ConnectionSwitcher(page).switchTo(name);
      await screen.waitForList();
      await screen.searchFor(tag);
      await screen.rowCheckbox(user.email).check();
      const reason = `“${name}” is read-only: Simple DB does not change its data. Edit the connection to allow changes.`;
      await expect(screen.deleteSelected).toHaveAttribute('aria-disabled', 'true');
      await expect(screen.deleteSelected).toHaveAccessibleDescription(reason);
      // Still focusable (so the reason is read), and pressing it opens nothing.
      await screen.deleteSelected.focus();
      await page.keyboard.press('Enter');
      await expect(screen.bulkDeleteDialog.root).toHaveCount(0);
      // The row's Edit and Delete, and New user, the same way.
      for (const button of [screen.editButton(user.email), screen.deleteButton(user.email), screen.newUserButton]) {
        await expect(button).toHaveAttribute('aria-disabled', 'true');
        await expect(button).toHaveAccessibleDescription(reason);
      }
      await screen.deleteButton(user.email).focus();
      await page.keyboard.press('Enter');
      await expect(screen.deleteUserDialog.root).toHaveCount(0);
      // Looking at a user's products changes nothing: still offered.
      await expect(screen.productsButton(user.email)).not.toHaveAttribute('aria-disabled', 'true');
    } finally {
      await callApi(request, 'connections.delete', { id: profile.id });
    }
  });

  test("a row's Products opens that user's products beside the list; Escape closes it", async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `owner-${tag}@example.com`, `Owner ${tag}`);
    await callApi(request, 'products.create', { name: `Teapot ${tag}`, ownerId: user.id });
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.productsButton(user.email).click();
    const panel = screen.productsPanel(user.email);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('table')).toContainText(`Teapot ${tag}`);
    // Focus moved into it, so Escape reaches it.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(screen.productsButton(user.email)).toBeFocused();

    // Its own Close button too. (Opening a product's owner from the Products screen is products.spec's.)
    await screen.productsButton(user.email).click();
    await expect(panel).toBeVisible();
    await panel.getByRole('button', { name: `Close the products of ${user.email}` }).click();
    await expect(panel).toBeHidden();
  });
});
