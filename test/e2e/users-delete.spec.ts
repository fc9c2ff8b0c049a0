import { expect, test } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { createUser, listAllUsers, uniqueTag } from './support/server';

test.describe('deleting users', () => {
  test('the confirmation names the user; Cancel keeps it, Delete removes it and says so', async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `delete-${tag}@example.com`, `Delete Me ${tag}`);
    const keep = await createUser(request, `keep-${tag}@example.com`, `Keep Me ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(2);

    // Cancel: nothing changes.
    await screen.deleteButton(user.email).click();
    const dialog = screen.deleteUserDialog;
    await expect(dialog.root).toBeVisible();
    await expect(dialog.root).toContainText(`Delete user ${user.email} (${user.name})? This cannot be undone.`);
    await expect(dialog.cancel).toBeFocused();
    await dialog.cancel.click();
    await expect(dialog.root).toBeHidden();
    await expect(screen.row(user.email)).toBeVisible();
    await screen.expectTotal(2);

    // Delete: the row goes, a status message says so, the other user stays.
    await screen.deleteButton(user.email).click();
    await expect(dialog.root).toContainText(user.email);
    await expect(dialog.confirm).toBeEnabled();
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.notice(`Deleted ${user.email}.`)).toBeVisible();
    await expect(screen.row(user.email)).toHaveCount(0);
    await expect(screen.row(keep.email)).toBeVisible();
    await screen.expectTotal(1);

    // Gone from the database too.
    await page.reload();
    await screen.waitForList();
    await screen.searchFor(user.email);
    await expect(page.getByText(`No users match “${user.email}”.`, { exact: true })).toBeVisible();
    expect((await listAllUsers(request, tag)).map((u) => u.email)).toEqual([keep.email]);
  });
});
