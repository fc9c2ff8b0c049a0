import { expect, test } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { serverAddress } from './support/server';

test.describe('browser mode', () => {
  test('opens from the printed address, removes the token from the address bar, and still works after a reload', async ({ page }) => {
    const { url, origin, token } = serverAddress();
    const screen = new UsersScreen(page);

    await screen.open(url);
    await expect(page).toHaveTitle('Simple DB');
    expect(page.url()).toBe(`${origin}/`);
    expect(page.url()).not.toContain(token);

    await page.reload();
    await screen.waitForList();
    expect(page.url()).not.toContain('token');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(screen.statusBar).toContainText('Schema up to date');
  });

  test('the status bar shows the embedded PostgreSQL 15 and a schema that is up to date', async ({ page }) => {
    const screen = new UsersScreen(page);
    await screen.open();

    await expect(screen.statusBar).toContainText(/Embedded PostgreSQL 15(\.\d+)*/);
    await expect(screen.statusBar).toContainText('Schema up to date');
    await expect(page.getByRole('heading', { name: /pending$/ })).toHaveCount(0);
  });

  test('without the token the page says why it cannot reach the database', async ({ page }) => {
    // A fresh browser context: no token in the address and none kept from an earlier visit.
    await page.goto(`${serverAddress().origin}/`);

    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the database' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('Missing or wrong token');
    await expect(page.getByRole('contentinfo', { name: 'Database status' })).toHaveText('Not connected');
    await expect(page.getByRole('table', { name: 'Users' })).toHaveCount(0);
  });
});
