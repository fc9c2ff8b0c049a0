import { expect, test } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { UsersScreen } from './pages/UsersScreen';
import { callApi, createUser, uniqueTag } from './support/server';

test.describe('the app shell', () => {
  test('the sidebar moves between screens; the one not built yet says so, and the users screen keeps its place', async ({ page, request }) => {
    const tag = uniqueTag();
    await createUser(request, `nav-${tag}@example.com`, `Nav ${tag}`);
    const shell = new AppShell(page);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);

    const users = shell.navItem('Users');
    await expect(users).toHaveAttribute('aria-current', 'page');
    // Every screen is built: listed plainly, without the "not yet available" badge.
    const products = shell.navItem('Products', { exact: true });
    const connections = shell.navItem('Connections', { exact: true });
    for (const item of [products, connections]) {
      await expect(item).toBeVisible();
      await expect(item).not.toContainText('not yet available');
    }
    await expect(shell.navItem(/\(not yet available\)$/)).toHaveCount(0);

    await products.click();
    await expect(page.getByRole('heading', { name: 'Products', exact: true })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Products', exact: true })).toBeVisible();
    await expect(products).toHaveAttribute('aria-current', 'page');
    await expect(users).not.toHaveAttribute('aria-current', 'page');
    await expect(screen.table).toHaveCount(0);
    // The status bar and the jobs indicator are there on every screen.
    await expect(shell.statusBar).toContainText('Schema up to date');
    await expect(shell.jobsButton).toBeVisible();

    await connections.click();
    await expect(connections).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Connections', exact: true })).toBeVisible();
    // The real screen, not the placeholder: the list of connections, the embedded one first.
    await expect(page.getByText('Connections are not available in this version of Simple DB yet.', { exact: false })).toHaveCount(0);
    const list = page.getByRole('table', { name: 'Connections' });
    await expect(list.locator('tbody').getByRole('row').first()).toContainText('Embedded PostgreSQL');

    // Back to users: the same search, the same row.
    await users.click();
    await expect(screen.heading).toBeVisible();
    await expect(screen.heading).toBeFocused();
    await expect(screen.search).toHaveValue(tag);
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(`nav-${tag}@example.com`)).toBeVisible();
  });

  test('a toast floats over the page: the table does not move when one appears', async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `toast-${tag}@example.com`, `Toast ${tag}`);
    const shell = new AppShell(page);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);
    await expect(shell.toasts.getByRole('status')).toHaveCount(0);
    const before = await screen.table.boundingBox();

    await screen.editButton(user.email).click();
    await screen.editUserDialog.name.fill(`Tost ${tag}`);
    await screen.reloadingList(() => screen.editUserDialog.save.click());
    const toast = shell.toasts.getByRole('status').filter({ hasText: `Saved ${user.email}.` });
    await expect(toast).toBeVisible();
    await expect(screen.row(user.email)).toContainText(`Tost ${tag}`);

    expect(await screen.table.boundingBox()).toEqual(before);
    // It is on screen, and it goes when dismissed.
    const box = await toast.boundingBox();
    const viewport = page.viewportSize();
    expect(box && viewport && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width).toBe(true);
    await shell.toasts.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expect(toast).toHaveCount(0);
    expect(await screen.table.boundingBox()).toEqual(before);
  });

  test('the tab is titled with the database the page works on', async ({ page, request }) => {
    const { database } = await callApi(request, 'app.info', {});
    const screen = new UsersScreen(page);
    await screen.open();
    await expect(page).toHaveTitle(`Embedded PostgreSQL ${database.serverVersion.replace(/^PostgreSQL\s*/i, '')} — Simple DB`);
  });
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the system; the theme toggle overrides it and is remembered', async ({ page }) => {
    const shell = new AppShell(page);
    const screen = new UsersScreen(page);
    await screen.open();
    await expect(shell.theme).toHaveValue('system');
    const dark = await shell.backgroundColor();

    // The system turns light: so does the page, without a reload.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => shell.backgroundColor()).not.toBe(dark);
    const light = await shell.backgroundColor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => shell.backgroundColor()).toBe(dark);

    // The admin picks Light on a dark system; it sticks across a reload.
    await shell.theme.selectOption('light');
    await expect.poll(() => shell.backgroundColor()).toBe(light);
    await page.reload();
    await screen.waitForList();
    await expect(shell.theme).toHaveValue('light');
    await expect.poll(() => shell.backgroundColor()).toBe(light);

    // And Dark on a light system.
    await page.emulateMedia({ colorScheme: 'light' });
    await shell.theme.selectOption('dark');
    await expect.poll(() => shell.backgroundColor()).toBe(dark);
    // The table's text stays readable on it: not the light theme's near-black.
    await expect(screen.table.locator('thead th').first()).not.toHaveCSS('color', 'rgb(27, 31, 36)');

    // Back to following the system (light now).
    await shell.theme.selectOption('system');
    await expect.poll(() => shell.backgroundColor()).toBe(light);
  });
});
