import { expect, test } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { uniqueTag } from './support/server';

test('explore: escape twice while saving', async ({ page }) => {
  const tag = uniqueTag();
  const screen = new UsersScreen(page);
  await screen.open();
  await screen.searchFor(tag);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/users.create', async (route) => { await held; await route.continue(); });
  const dialog = await screen.openNewUser();
  await dialog.fill(`esc-${tag}@example.com`, 'Esc');
  await dialog.save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Saving' })).toBeVisible();
  await page.keyboard.press('Escape');
  console.log('after 1 escape open:', await dialog.root.isVisible());
  await page.keyboard.press('Escape');
  console.log('after 2 escape open:', await dialog.root.isVisible());
  await page.keyboard.press('Escape');
  console.log('after 3 escape open:', await dialog.root.isVisible());
  await expect(dialog.root).toBeVisible({ timeout: 2000 }).catch(() => console.log('dialog hidden while saving'));
  release();
  await expect(screen.row(`esc-${tag}@example.com`)).toBeVisible();
  console.log('notices:', await page.getByRole('status').allTextContents());
});
