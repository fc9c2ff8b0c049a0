import { expect, test } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { embeddedConnection, withDatabase } from './support/database';
import { callApi, createUser, listAllUsers, uniqueTag } from './support/server';

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

    // Delete: the row goes, a status message says so, the other user stays. Ticked before, it is
    // no longer selected once gone.
    await screen.rowCheckbox(user.email).check();
    await expect(screen.selectionBar).toContainText('1 user selected.');
    await screen.deleteButton(user.email).click();
    await expect(dialog.root).toContainText(user.email);
    await expect(dialog.confirm).toBeEnabled();
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.notice(`Deleted ${user.email}.`)).toBeVisible();
    await expect(screen.row(user.email)).toHaveCount(0);
    await expect(screen.row(keep.email)).toBeVisible();
    await screen.expectTotal(1);
    await expect(screen.selectionBar).toHaveCount(0);

    // Gone from the database too.
    await page.reload();
    await screen.waitForList();
    await screen.searchFor(user.email);
    await expect(page.getByText(`No users match “${user.email}”.`, { exact: true })).toBeVisible();
    expect((await listAllUsers(request, tag)).map((u) => u.email)).toEqual([keep.email]);
  });

  test('a user deleted elsewhere while the confirmation is open: it says so, offers no Delete, and the list drops the row', async ({
    page,
    request,
  }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `raced-${tag}@example.com`, `Raced ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(1);
    await screen.deleteButton(user.email).click();
    const dialog = screen.deleteUserDialog;
    await expect(dialog.confirm).toBeEnabled();

    await callApi(request, 'users.delete', { id: user.id }); // another window, another tool
    await dialog.confirm.click();
    await expect(dialog.root).toContainText('This user no longer exists; it may have been deleted elsewhere.');
    await expect(dialog.confirm).toBeDisabled();
    await expect(screen.row(user.email)).toHaveCount(0); // the list behind it was refreshed
    await dialog.cancel.click();
    await expect(dialog.root).toBeHidden();
    await screen.expectTotal(0);
  });

  test('the confirmation warns how many products lose their owner, and the notice says so afterwards', async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `owner-${tag}@example.com`, `Owner ${tag}`);
    // Products have no screen of their own: put them straight into the database the page shows.
    const connection = await embeddedConnection(request);
    const inserted = await withDatabase(connection, (client) =>
      client.query<{ id: number }>(
        'INSERT INTO products (name, owner_id) SELECT $1::text || n, $2::int FROM generate_series(1, 3) AS n RETURNING id',
        [`Product ${tag} #`, user.id],
      ),
    );
    const productIds = inserted.rows.map((row) => row.id);
    expect(productIds).toHaveLength(3);

    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.deleteButton(user.email).click();
    const dialog = screen.deleteUserDialog;
    await expect(dialog.root).toContainText(`Delete user ${user.email} (${user.name})? This cannot be undone.`);
    await expect(dialog.root).toContainText('3 products owned by this user will be left without an owner.');
    await expect(dialog.confirm).toBeEnabled();

    await screen.reloadingList(() => dialog.confirm.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.notice(`Deleted ${user.email}; 3 products no longer have an owner.`)).toBeVisible();
    await expect(screen.row(user.email)).toHaveCount(0);

    // The products are still there, without an owner (ON DELETE SET NULL); then tidy up.
    const owners = await withDatabase(connection, async (client) => {
      const result = await client.query<{ owner_id: number | null }>('SELECT owner_id FROM products WHERE id = ANY($1::int[])', [productIds]);
      await client.query('DELETE FROM products WHERE id = ANY($1::int[])', [productIds]);
      return result.rows.map((row) => row.owner_id);
    });
    expect(owners).toEqual([null, null, null]);
  });
});

test.describe("a user's products drawer", () => {
  test('focus goes back to the row that opened the drawer last; a bulk delete of its user closes it', async ({ page, request }) => {
    const tag = uniqueTag();
    const ann = await createUser(request, `drawer-a-${tag}@example.com`, `Drawer A ${tag}`);
    const bob = await createUser(request, `drawer-b-${tag}@example.com`, `Drawer B ${tag}`);
    await callApi(request, 'products.create', { name: `Kettle ${tag}`, ownerId: bob.id });
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    // Ann's drawer, then Bob's from his row (by keyboard: the drawer covers the row's buttons).
    await screen.productsButton(ann.email).click();
    await expect(screen.productsPanel(ann.email)).toBeVisible();
    await screen.productsButton(bob.email).focus();
    await page.keyboard.press('Enter');
    const panel = screen.productsPanel(bob.email);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('table')).toContainText(`Kettle ${tag}`);
    await expect(screen.productsPanel(ann.email)).toHaveCount(0);
    // Closing Bob's returns to Bob's row, not to Ann's.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(screen.productsButton(bob.email)).toBeFocused();

    // Add product for a user deleted meanwhile: the refusal is at the owner line, which takes focus.
    await screen.productsButton(ann.email).click();
    const annPanel = screen.productsPanel(ann.email);
    await expect(annPanel).toBeVisible();
    await annPanel.getByRole('button', { name: 'Add product', exact: true }).click();
    const addDialog = page.getByRole('dialog', { name: 'New product' });
    await addDialog.getByLabel('Name', { exact: true }).fill(`Orphan ${tag}`);
    await callApi(request, 'users.delete', { id: ann.id });
    await addDialog.getByRole('button', { name: 'Save', exact: true }).click();
    const ownerError = addDialog.getByRole('alert');
    await expect(ownerError).toBeVisible();
    await expect(addDialog.locator('.fixed-owner')).toBeFocused();
    await expect(addDialog.locator('.fixed-owner')).toHaveAccessibleDescription((await ownerError.textContent()) ?? '');
    await addDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await annPanel.getByRole('button', { name: `Close the products of ${ann.email}`, exact: true }).click();

    // Bob deleted with Delete selected while his drawer is open: the drawer closes rather than
    // listing products that no longer have an owner as his.
    await screen.productsButton(bob.email).click();
    await expect(panel).toBeVisible();
    await screen.rowCheckbox(bob.email).check();
    await screen.deleteSelected.focus();
    await page.keyboard.press('Enter');
    const dialog = screen.bulkDeleteDialog;
    await expect(dialog.confirm).toHaveText('Delete 1 user');
    await screen.reloadingList(() => dialog.confirm.click());
    await expect(dialog.root).toBeHidden();
    await expect(panel).toHaveCount(0);
    await expect(screen.row(bob.email)).toHaveCount(0);
  });

  test('a product added from the drawer updates a Users list filtered by owning products', async ({ page, request }) => {
    const tag = uniqueTag();
    const cleo = await createUser(request, `drawer-c-${tag}@example.com`, `Drawer C ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.filters.open();
    await screen.filters.products.selectOption({ label: 'Owns none' });
    await screen.reloadingList(() => screen.filters.apply.click());
    await expect(screen.row(cleo.email)).toBeVisible();

    await screen.productsButton(cleo.email).click();
    const panel = screen.productsPanel(cleo.email);
    await panel.getByRole('button', { name: 'Add product', exact: true }).click();
    const addDialog = page.getByRole('dialog', { name: 'New product' });
    await addDialog.getByLabel('Name', { exact: true }).fill(`Mug ${tag}`);
    await screen.reloadingList(() => addDialog.getByRole('button', { name: 'Save', exact: true }).click());
    // Cleo owns one now: no longer among the users who own none.
    await expect(screen.row(cleo.email)).toHaveCount(0);
    await expect(panel.getByRole('table')).toContainText(`Mug ${tag}`);
  });
});
