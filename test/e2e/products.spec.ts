import { expect, test, type APIRequestContext } from '@playwright/test';
import type { Product } from '../../src/shared/contract';
import { ConnectionSwitcher } from './pages/ConnectionsScreen';
import { ProductsScreen, UserProductsPanel } from './pages/ProductsScreen';
import { createScratchDatabase, dropScratchDatabase, embeddedConnection, withDatabase } from './support/database';
import { callApi, createUser, uniqueTag } from './support/server';

const EMBEDDED = 'Embedded PostgreSQL';

function createProduct(request: APIRequestContext, name: string, ownerId: number | null): Promise<Product> {
  return callApi(request, 'products.create', { name, ownerId });
}

function getProduct(request: APIRequestContext, id: number): Promise<Product> {
  return callApi(request, 'products.get', { id });
}

/** Waits for a job started through the API to end, and fails the test unless it succeeded. */
async function jobSucceeds(request: APIRequestContext, jobId: string, connectionId?: string): Promise<void> {
  await expect
    .poll(async () => (await callApi(request, 'jobs.get', { id: jobId }, undefined, connectionId)).state, { timeout: 60_000 })
    .not.toBe('running');
  const job = await callApi(request, 'jobs.get', { id: jobId }, undefined, connectionId);
  expect(job.state, job.error?.message).toBe('succeeded');
}

/** The id in a toast such as `Created product #12 “Lamp”.` */
function idIn(text: string | null): number {
  const match = /#(\d+)/.exec(text ?? '');
  if (!match?.[1]) throw new Error(`No product id in “${text}”`);
  return Number(match[1]);
}

test.describe('products and their owners', () => {
  test('create a product with an owner found by typing part of an email, edit it, filter Unowned, delete it', async ({ page, request }) => {
    const tag = uniqueTag();
    const ada = await createUser(request, `ada-${tag}@example.com`, `Ada ${tag}`);
    const bob = await createUser(request, `bob-${tag}@example.com`, `Bob ${tag}`);
    const loose = await createProduct(request, `Loose ${tag}`, null);
    const screen = new ProductsScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);

    // Create: the owner picker lists only what matches the typed part, with name and id.
    await screen.newProductButton.click();
    const form = screen.newProductDialog;
    await expect(form.root).toBeVisible();
    await form.name.fill(`  Lamp ${tag} `);
    await form.owner.search(`ada-${tag}`);
    await expect(form.owner.listbox.getByRole('option')).toHaveCount(2); // "No owner" and Ada
    await expect(form.owner.option('No owner')).toBeVisible();
    await expect(form.owner.option(`${ada.email} ${ada.name} #${ada.id}`)).toBeVisible();
    await form.owner.pick(ada.email);
    await screen.reloadingList(() => form.save.click());
    await expect(form.root).toBeHidden();
    const created = screen.notice(new RegExp(`^Created product #\\d+ “Lamp ${tag}”\\.$`));
    await expect(created).toBeVisible();
    const id = idIn(await created.textContent());
    await expect(screen.cell(id, 1)).toHaveText(`Lamp ${tag}`);
    await expect(screen.ownerButton(id)).toHaveText(ada.email);
    await expect(screen.cell(id, 2)).toHaveText(`${ada.email} ${ada.name}`);
    await expect(screen.row(id)).toHaveClass('highlight');
    expect((await getProduct(request, id)).owner?.id).toBe(ada.id);

    // Edit: a cleared name is refused at its field; then a new name and, by keyboard alone, a new owner.
    await screen.editButton(id).click();
    const edit = screen.editProductDialog;
    await expect(edit.name).toHaveValue(`Lamp ${tag}`);
    await expect(edit.owner.input).toHaveValue(ada.email);
    await edit.name.fill('   ');
    await edit.save.click();
    await edit.expectFieldError('name', 'Name is required');
    await expect(edit.name).toBeFocused();
    await edit.name.fill(`Desk lamp ${tag}`);
    await edit.owner.input.focus();
    await edit.owner.search(`bob-${tag}`);
    // Escape closes only the list (and drops what was typed), not the dialog around it.
    await page.keyboard.press('Escape');
    await expect(edit.owner.listbox).toBeHidden();
    await expect(edit.root).toBeVisible();
    await expect(edit.owner.input).toHaveValue(ada.email);
    // The best match is ready for Enter.
    await edit.owner.search(`bob-${tag}`);
    await expect(edit.owner.input).toHaveAttribute('aria-activedescendant', /option-1$/);
    await page.keyboard.press('Enter');
    await expect(edit.owner.input).toHaveValue(bob.email);
    await expect(edit.root).toBeVisible();
    await screen.reloadingList(() => page.keyboard.press('Enter'));
    await expect(edit.root).toBeHidden();
    await expect(screen.cell(id, 1)).toHaveText(`Desk lamp ${tag}`);
    await expect(screen.ownerButton(id)).toHaveText(bob.email);
    await expect(screen.cell(id, 2)).toHaveText(`${bob.email} ${bob.name}`);
    await expect(screen.notice(`Saved product #${id} “Desk lamp ${tag}”.`)).toBeVisible();

    // An owner deleted while the form is open: the server's reason is shown at the owner field.
    const gone = await createUser(request, `gone-${tag}@example.com`, `Gone ${tag}`);
    await screen.editButton(id).click();
    await edit.owner.choose(`gone-${tag}`, gone.email);
    await callApi(request, 'users.delete', { id: gone.id });
    await edit.save.click();
    await edit.expectFieldError('owner', `User #${gone.id} does not exist (it may have been deleted). Choose another owner.`);
    await expect(edit.owner.input).toBeFocused();
    await edit.cancel.click();
    await expect(edit.root).toBeHidden();
    expect((await getProduct(request, id)).owner?.id).toBe(bob.id);

    // Unowned: only products without an owner; Anyone: all of them again.
    await screen.reloadingList(() => screen.ownerFilter.selectOption({ label: 'Unowned' }));
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(loose.id)).toBeVisible();
    await expect(screen.cell(loose.id, 2)).toHaveText('(no owner)');
    // "A user…" before a user is chosen: Unowned's rows are not shown as if they were this filter's.
    await screen.ownerFilter.selectOption({ label: 'A user…' });
    await expect(page.getByText('Choose a user to filter by: the list shows their products once one is chosen.', { exact: true })).toBeVisible();
    await expect(screen.table).toBeHidden();
    await expect(screen.total).toBeHidden();
    await screen.reloadingList(() => screen.ownerFilter.selectOption({ label: 'Anyone' }));
    await expect(screen.rows).toHaveCount(2);

    // One user's products, chosen in the Owner filter.
    await screen.ownerFilter.selectOption({ label: 'A user…' });
    await screen.reloadingList(() => screen.ownerFilterPicker.choose(`bob-${tag}`, bob.email));
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(id)).toBeVisible();
    await screen.reloadingList(() => screen.ownerFilter.selectOption({ label: 'Anyone' }));

    // Delete asks first (focus on Cancel), then the row is gone.
    await screen.deleteButton(id).click();
    await expect(screen.deleteDialog).toContainText(`Delete product #${id} “Desk lamp ${tag}”, owned by ${bob.email}? This cannot be undone.`);
    await expect(screen.deleteDialog.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
    await screen.reloadingList(() => screen.deleteDialog.getByRole('button', { name: 'Delete', exact: true }).click());
    await expect(screen.deleteDialog).toBeHidden();
    await expect(screen.row(id)).toHaveCount(0);
    await expect(screen.notice(`Deleted product #${id} “Desk lamp ${tag}”.`)).toBeVisible();
    await expect(callApi(request, 'products.get', { id })).rejects.toThrow('NOT_FOUND');
  });

  test('a product stored without a name shows “(no name)”; search by id finds exactly one product', async ({ page, request }) => {
    const tag = uniqueTag();
    const owner = await createUser(request, `nameless-${tag}@example.com`, `Nameless ${tag}`);
    const connection = await embeddedConnection(request);
    const inserted = await withDatabase(connection, (client) =>
      client.query<{ id: number }>('INSERT INTO products (name, owner_id) VALUES (NULL, $1) RETURNING id', [owner.id]),
    );
    const id = inserted.rows[0]?.id ?? 0;
    const screen = new ProductsScreen(page);
    await screen.open();

    await screen.reloadingList(() => screen.match.selectOption({ label: 'Product ID is' }));
    // Text where an id is expected: the server's reason is said at the search box.
    await screen.searchFor('lamp');
    await expect(screen.search).toHaveAttribute('aria-invalid', 'true');
    await expect(screen.search).toHaveAccessibleDescription('To search by id, type a product id: a whole number, like 42.');
    await screen.searchFor(String(id));
    await expect(screen.search).not.toHaveAttribute('aria-invalid');
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.cell(id, 1)).toHaveText('(no name)');
    await expect(screen.ownerButton(id)).toHaveText(owner.email);
    await expect(screen.cell(id, 2)).toHaveText(`${owner.email} ${owner.name}`);

    // Editing only its owner leaves the name NULL (an empty field is not refused as "required").
    await screen.editButton(id).click();
    const edit = screen.editProductDialog;
    await expect(edit.name).toHaveValue('');
    await edit.owner.search('zzz-nobody-' + tag);
    await expect(edit.owner.listbox).toContainText('No owner');
    await edit.owner.option('No owner').click();
    await screen.reloadingList(() => edit.save.click());
    await expect(edit.root).toBeHidden();
    await expect(screen.cell(id, 2)).toHaveText('(no owner)');
    const stored = await getProduct(request, id);
    expect(stored).toEqual({ id, name: null, owner: null });
  });

  test('an owner typed but not picked is never dropped: Save takes the one exact match on the first click, or says to choose', async ({
    page,
    request,
  }) => {
    const tag = uniqueTag();
    const ada = await createUser(request, `ada-${tag}@example.com`, `Ada ${tag}`);
    await createUser(request, `xada-${tag}@example.com`, `Xada ${tag}`);
    const screen = new ProductsScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    // A whole email typed, its list still open, then one click on Save: created, owned by that user.
    await screen.newProductButton.click();
    const form = screen.newProductDialog;
    await form.name.fill(`Typed ${tag}`);
    await form.owner.search(ada.email);
    await expect(form.owner.listbox).toBeVisible();
    await screen.reloadingList(() => form.save.click());
    await expect(form.root).toBeHidden();
    const created = screen.notice(new RegExp(`^Created product #\\d+ “Typed ${tag}”\\.$`));
    const id = idIn(await created.textContent());
    expect((await getProduct(request, id)).owner?.id).toBe(ada.id);
    // The toast is beside the table, not over its rows.
    const toastBox = (await created.boundingBox())!;
    const tableBox = (await screen.table.boundingBox())!;
    expect(toastBox.x + toastBox.width).toBeLessThanOrEqual(tableBox.x);

    // Part of an email (two users match it): refused at the field, the text kept, nothing saved.
    await screen.newProductButton.click();
    await form.name.fill(`Vague ${tag}`);
    await form.owner.search(`ada-${tag}`);
    await form.save.click();
    await form.expectFieldError('owner', 'Choose the owner from the list, or clear the field for no owner.');
    await expect(form.owner.input).toHaveValue(`ada-${tag}`);
    await expect(form.owner.input).toBeFocused();
    await expect(form.root).toBeVisible();
    // Leaving the field keeps the text too, and says it is not chosen yet.
    await form.name.focus();
    await expect(form.owner.input).toHaveValue(`ada-${tag}`);
    await expect(form.root.getByText('Not chosen yet: pick the user from the list.')).toBeVisible();
    // Cleared: no owner, as asked.
    await form.owner.input.fill('');
    await form.name.focus();
    await screen.reloadingList(() => form.save.click());
    await expect(form.root).toBeHidden();
    const vague = idIn(await screen.notice(new RegExp(`^Created product #\\d+ “Vague ${tag}”`)).textContent());
    expect((await getProduct(request, vague)).owner).toBeNull();

    // The list open on an empty field, no option active: Enter is the form's, not swallowed.
    await screen.newProductButton.click();
    await form.name.fill(`Enter ${tag}`);
    await form.owner.input.click();
    await expect(form.owner.option('No owner')).toBeVisible();
    await screen.reloadingList(() => form.owner.input.press('Enter'));
    await expect(form.root).toBeHidden();
    const entered = idIn(await screen.notice(new RegExp(`^Created product #\\d+ “Enter ${tag}”`)).textContent());
    expect((await getProduct(request, entered)).owner).toBeNull();

    // #id works the same in Reassign, and its first click acts.
    await screen.ownerButton(id).click();
    const panel = new UserProductsPanel(page, ada.email);
    await panel.waitForList();
    const bob = await createUser(request, `bob-${tag}@example.com`, `Bob ${tag}`);
    await panel.button('Reassign', id).click();
    await panel.reassignPicker.input.fill(`#${bob.id}`);
    await expect(panel.reassignPicker.option(new RegExp(`^${bob.email} `))).toBeVisible();
    await panel.reassignDialog.getByRole('button', { name: 'Reassign', exact: true }).click();
    await expect(panel.reassignDialog).toBeHidden();
    await expect(panel.emptyState).toBeVisible();
    expect((await getProduct(request, id)).owner?.id).toBe(bob.id);
  });

  test('open the owner from a product: the Users screen with their products; add, reassign and unassign there', async ({ page, request }) => {
    const tag = uniqueTag();
    const ada = await createUser(request, `owner-${tag}@example.com`, `Owner ${tag}`);
    const bob = await createUser(request, `heir-${tag}@example.com`, `Heir ${tag}`);
    const first = await createProduct(request, `First ${tag}`, ada.id);
    const screen = new ProductsScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    await screen.ownerButton(first.id).click();
    await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
    const panel = new UserProductsPanel(page, ada.email);
    await panel.waitForList();
    await expect(panel.rows).toHaveCount(1);
    await expect(panel.row(first.id)).toContainText(`First ${tag}`);

    // Add: created with this user as owner (shown, not chosen).
    await panel.addButton.click();
    await expect(panel.addDialog.root).toContainText(ada.email);
    await panel.addDialog.name.fill(`Second ${tag}`);
    await panel.addDialog.save.click();
    await expect(panel.addDialog.root).toBeHidden();
    await expect(panel.rows).toHaveCount(2);
    const added = panel.rows.filter({ hasText: `Second ${tag}` });
    await expect(added).toBeVisible();
    const secondId = Number(await added.getByRole('cell').first().textContent());
    expect((await getProduct(request, secondId)).owner?.id).toBe(ada.id);

    // Reassign: to another user, chosen by typing part of their email; it leaves this list.
    await panel.button('Reassign', first.id).click();
    await expect(panel.reassignDialog).toBeVisible();
    await panel.reassignPicker.choose(`heir-${tag}`, bob.email);
    await panel.reassignDialog.getByRole('button', { name: 'Reassign', exact: true }).click();
    await expect(panel.reassignDialog).toBeHidden();
    await expect(panel.row(first.id)).toHaveCount(0);
    await expect(panel.rows).toHaveCount(1);
    await expect(page.getByRole('status').filter({ hasText: `Product #${first.id} “First ${tag}” now belongs to ${bob.email}.` })).toBeVisible();
    expect((await getProduct(request, first.id)).owner?.id).toBe(bob.id);

    // Unassign: asks briefly, then the product has no owner and this user has none left.
    await panel.button('Unassign', secondId).click();
    await expect(panel.unassignDialog).toContainText(`Leave product #${secondId} “Second ${tag}” without an owner?`);
    await panel.unassignDialog.getByRole('button', { name: 'Unassign', exact: true }).click();
    await expect(panel.unassignDialog).toBeHidden();
    await expect(panel.emptyState).toBeVisible();
    expect((await getProduct(request, secondId)).owner).toBeNull();

    // The owner button that opened the panel is on the Products screen, gone now: closing the panel
    // puts focus on the user's row (the list went to it), not on the page.
    await panel.closeButton.click();
    await expect(panel.root).toBeHidden();
    await expect(page.getByRole('table', { name: 'Users' }).getByRole('button', { name: `Products of ${ada.email}`, exact: true })).toBeFocused();

    // The Products screen shows the same: the first is Bob's, the second unowned.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Products', exact: true }).click();
    await screen.waitForList();
    await expect(screen.ownerButton(first.id)).toHaveText(bob.email);
    await expect(screen.cell(first.id, 2)).toHaveText(`${bob.email} ${bob.name}`);
    await expect(screen.cell(secondId, 2)).toHaveText('(no owner)');
  });

  test('First, Last and Go to reach either end and a given product or row in one step', async ({ page, request }) => {
    const tag = uniqueTag();
    const owner = await createUser(request, `many-${tag}@example.com`, `Many ${tag}`);
    const made: Product[] = [];
    for (let i = 0; i < 30; i++) made.push(await createProduct(request, `Item ${tag} ${String(i).padStart(2, '0')}`, owner.id));
    const ids = made.map((product) => String(product.id));
    const screen = new ProductsScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.total).toHaveText(/^(about )?[\d,]+ products$/);
    await expect(screen.columnCells('id')).toHaveText(ids.slice(0, 25));
    await expect(screen.pagerButton('First')).toBeDisabled();

    await screen.reloadingList(() => screen.pagerButton('Last').click());
    // The last page is the last 25 rows, ending at the last one.
    await expect(screen.columnCells('id')).toHaveText(ids.slice(5));
    await expect(screen.pagerButton('Next')).toBeDisabled();
    await expect(screen.pager).toContainText(/rows 6–30/i);

    await screen.reloadingList(() => screen.pagerButton('First').click());
    await expect(screen.columnCells('id')).toHaveText(ids.slice(0, 25));

    // A product by id: the page starts at it, and it is marked.
    const target = made[17];
    if (!target) throw new Error('no product 17');
    await screen.goTo('Product ID', String(target.id));
    await expect(screen.columnCells('id').first()).toHaveText(String(target.id));
    await expect(screen.row(target.id)).toHaveClass('highlight');

    // A row number.
    await screen.goTo('Row number or %', '29');
    await expect(screen.columnCells('id')).toHaveText(ids.slice(28));

    // A name prefix: the list is sorted by name for it.
    await screen.goTo('Name starting with', `Item ${tag} 1`);
    await expect(screen.columnCells('name').first()).toHaveText(`Item ${tag} 10`);
    await expect(screen.table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');

    // A value that cannot be a row number or a percentage is refused at the field, before any
    // request, by the same rules as on the Users screen ("0x10" is not 16, "1,000%" not 1%).
    await screen.goToMode.selectOption({ label: 'Row number or %' });
    const position = screen.goToForm.getByLabel('Row number or %', { exact: true });
    const go = screen.goToForm.getByRole('button', { name: 'Go', exact: true });
    await position.fill('0x10');
    await go.click();
    await expect(screen.goToForm.getByRole('alert')).toHaveText('Type a row number (1 or more, e.g. 500000) or a percentage (e.g. 50%).');
    await position.fill('1,000%');
    await go.click();
    await expect(screen.goToForm.getByRole('alert')).toHaveText('A percentage goes from 0% (the first row) to 100% (the last), e.g. 50% or 12.5%.');

    // An id no column can hold: said in the admin's terms, not the schema's.
    await screen.goToMode.selectOption({ label: 'Product ID' });
    await screen.goToForm.getByLabel('Product ID', { exact: true }).fill('99999999999');
    await screen.goToForm.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(screen.goToForm.getByText('A product id is between 1 and 2,147,483,647.', { exact: true })).toBeVisible();

    // Past the last name: empty from there on, not "No products yet"; and a way back.
    await screen.goTo('Name starting with', 'Zzz');
    await expect(screen.rows).toHaveCount(0);
    await expect(page.getByText('No matching products at or after this point.', { exact: true })).toBeVisible();
    await screen.reloadingList(() => page.getByRole('button', { name: 'Go to the first page', exact: true }).click());
    await expect(screen.columnCells('name').first()).toHaveText(`Item ${tag} 00`);
  });

  test('switching the window to a read-only connection starts the list over, and offers no changes there, saying why', async ({ page, request }) => {
    test.setTimeout(120_000);
    const tag = uniqueTag();
    const connection = await embeddedConnection(request);
    const database = await createScratchDatabase(connection);
    const server = { host: connection.host, port: connection.port, database, user: connection.user, ssl: { mode: 'disable' as const } };
    const saved: string[] = [];
    try {
      // Its schema and one owned product, written beforehand through a writable profile (arranging, not tested).
      const writer = await callApi(request, 'connections.save', {
        profile: { name: `E2E products writer ${tag}`, ...server },
        secrets: { password: connection.password },
        keepSecretsInMemory: true,
      });
      saved.push(writer.id);
      await callApi(request, 'connections.open', { id: writer.id });
      const { jobId } = await callApi(request, 'migrations.up', {}, undefined, writer.id);
      await jobSucceeds(request, jobId, writer.id);
      const owner = await callApi(request, 'users.create', { email: `far-${tag}@example.com`, name: `Far ${tag}` }, undefined, writer.id);
      const far = await callApi(request, 'products.create', { name: `Far ${tag}`, ownerId: owner.id }, undefined, writer.id);
      await callApi(request, 'connections.delete', { id: writer.id });
      saved.pop();

      const name = `E2E products read-only ${tag}`;
      const readOnly = await callApi(request, 'connections.save', {
        profile: { name, ...server, readOnly: true },
        secrets: { password: connection.password },
        keepSecretsInMemory: true,
      });
      saved.push(readOnly.id);
      await callApi(request, 'connections.open', { id: readOnly.id });

      const home = await createProduct(request, `Home ${tag}`, null);
      const screen = new ProductsScreen(page);
      await screen.open();
      await screen.searchFor(`Home ${tag}`);
      await expect(screen.rows).toHaveCount(1);
      await expect(screen.row(home.id)).toBeVisible();

      const switcher = new ConnectionSwitcher(page);
      await switcher.switchTo(name);
      await expect(switcher.root).toContainText(name);
      await screen.waitForList();
      // Another database: nothing searched for on the last one is kept, and its own rows are listed.
      await expect(screen.search).toHaveValue('');
      await expect(screen.rows).toHaveCount(1);
      await expect(screen.cell(far.id, 1)).toHaveText(`Far ${tag}`);

      const reason = `“${name}” is read-only: Simple DB does not change its data. Edit the connection to allow changes.`;
      await expect(page.getByText(reason, { exact: true })).toBeVisible();
      for (const button of [screen.newProductButton, screen.editButton(far.id), screen.deleteButton(far.id)]) {
        await expect(button).toHaveAttribute('aria-disabled', 'true');
        await expect(button).toHaveAccessibleDescription(reason);
      }
      await screen.newProductButton.focus();
      await page.keyboard.press('Enter');
      await expect(screen.newProductDialog.root).toHaveCount(0);

      // Opening the owner still works: it changes nothing. Their panel offers no changes either.
      await screen.ownerButton(far.id).click();
      const panel = new UserProductsPanel(page, owner.email);
      await panel.waitForList();
      for (const button of [panel.addButton, panel.button('Reassign', far.id), panel.button('Unassign', far.id)]) {
        await expect(button).toHaveAttribute('aria-disabled', 'true');
        await expect(button).toHaveAccessibleDescription(reason);
      }

      await switcher.switchTo(EMBEDDED);
      await expect(switcher.root).not.toContainText('read-only');
    } finally {
      for (const id of saved) await callApi(request, 'connections.delete', { id });
      await dropScratchDatabase(connection, database);
    }
  });
});
