import { expect, test } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { embeddedConnection, withDatabase } from './support/database';
import { countUsers, createUser, deleteAllUsers, uniqueTag } from './support/server';

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;

test.describe('creating and editing users', () => {
  // UTC+14: a timestamp shifted into the browser's zone could not pass for UTC.
  test.use({ timezoneId: 'Pacific/Kiritimati' });

  test('an empty database shows the empty state; a user created with the form appears with a trimmed, lower-cased email', async ({
    page,
    request,
  }) => {
    await deleteAllUsers(request);
    const tag = uniqueTag();
    const screen = new UsersScreen(page);
    await screen.open();

    await expect(page.getByText('No users yet. Create the first one.', { exact: true })).toBeVisible();
    await expect(screen.rows).toHaveCount(0);
    await screen.expectTotal(0);

    await screen.createUser(`  Ada.${tag}@Example.COM  `, '  Ada Lovelace  ');

    const email = `ada.${tag}@example.com`;
    const row = screen.row(email);
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').nth(3)).toHaveText('Ada Lovelace');
    const created = row.getByRole('cell').nth(4);
    await expect(created).toHaveText(UTC_TIMESTAMP);
    const shown = Date.parse(`${((await created.textContent()) ?? '').replace(' UTC', '').replace(' ', 'T')}Z`);
    expect(Math.abs(Date.now() - shown), 'creation time shown in UTC').toBeLessThan(10 * 60_000);
    await expect(screen.rows).toHaveCount(1);
    await screen.expectTotal(1);
    await expect(screen.emptyState).toBeHidden();
    await expect(screen.notice(`Created ${email}.`)).toBeVisible();

    // It is stored, not just drawn: a fresh load shows it too.
    await page.reload();
    await screen.waitForList();
    await expect(screen.row(email)).toBeVisible();
  });

  test('an internationalised email (jörg@bücher.example) is accepted and shown as typed', async ({ page }) => {
    const tag = uniqueTag();
    const email = `jörg.${tag}@bücher.example`;
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    await screen.createUser(email, `Jörg ${tag}`);
    await expect(screen.newUserDialog.root).toBeHidden();
    await expect(screen.row(email)).toContainText(`Jörg ${tag}`);
    await expect(screen.notice(`Created ${email}.`)).toBeVisible();
  });

  const fieldErrors: ReadonlyArray<{
    what: string;
    email: (tag: string) => string;
    name: (tag: string) => string;
    field: 'email' | 'name';
    message: string;
  }> = [
    {
      what: 'an invalid email',
      email: () => 'not-an-email',
      name: () => 'Valid Name',
      field: 'email',
      message: 'Email must look like name@example.com',
    },
    { what: 'an empty name', email: (tag: string) => `empty-name-${tag}@example.com`, name: () => '   ', field: 'name', message: 'Name is required' },
    {
      what: 'a 201-character name',
      email: (tag: string) => `long-name-${tag}@example.com`,
      name: () => 'n'.repeat(201),
      field: 'name',
      message: 'Name must be at most 200 characters',
    },
  ];

  for (const { what, email, name, field, message } of fieldErrors) {
    test(`${what} is reported at its field and nothing is created`, async ({ page, request }) => {
      const tag = uniqueTag();
      const screen = new UsersScreen(page);
      await screen.open();
      const before = await countUsers(request);
      await screen.expectTotal(before);

      const dialog = await screen.openNewUser();
      await dialog.fill(email(tag), name(tag));
      await dialog.save.click();

      await dialog.expectFieldError(field, message);
      const other = field === 'email' ? dialog.name : dialog.email;
      await expect(other).not.toHaveAttribute('aria-invalid', 'true');
      await expect(field === 'email' ? dialog.email : dialog.name).toBeFocused();
      await expect(dialog.root).toBeVisible();

      await dialog.cancel.click();
      await expect(dialog.root).toBeHidden();
      await page.reload();
      await screen.waitForList();
      await screen.expectTotal(before);
      expect(await countUsers(request)).toBe(before);
    });
  }

  test('a duplicate email (any case, with spaces) is reported at the email field, naming the existing user', async ({ page, request }) => {
    const tag = uniqueTag();
    const existing = await createUser(request, `taken-${tag}@example.com`, `Taken ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    const before = await countUsers(request);
    await screen.expectTotal(before);

    const dialog = await screen.openNewUser();
    await dialog.fill(`  TAKEN-${tag}@Example.com `, `Second ${tag}`);
    await dialog.save.click();

    await dialog.expectFieldError('email', `The email ${existing.email} is already used by user #${existing.id} (${existing.name}).`);
    await expect(dialog.name).not.toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.email).toBeFocused();

    await dialog.cancel.click();
    await expect(dialog.root).toBeHidden();
    await page.reload();
    await screen.waitForList();
    await screen.expectTotal(before);
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(existing.email)).toContainText(existing.name);
  });

  test("editing a user's name and email shows the change in the table", async ({ page, request }) => {
    const tag = uniqueTag();
    const user = await createUser(request, `before-${tag}@example.com`, `Before ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);

    await screen.editButton(user.email).click();
    const dialog = screen.editUserDialog;
    await expect(dialog.root).toBeVisible();
    await expect(dialog.email).toHaveValue(user.email);
    await expect(dialog.name).toHaveValue(user.name);

    await dialog.fill(`  After-${tag}@Example.com `, `  After ${tag} `);
    await screen.reloadingList(() => dialog.save.click());
    await expect(dialog.root).toBeHidden();

    const email = `after-${tag}@example.com`;
    await expect(screen.row(email)).toBeVisible();
    await expect(screen.row(email).getByRole('cell').nth(1)).toHaveText(String(user.id));
    await expect(screen.row(email).getByRole('cell').nth(3)).toHaveText(`After ${tag}`);
    await expect(screen.row(user.email)).toHaveCount(0);
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.notice(`Saved ${email}.`)).toBeVisible();

    await page.reload();
    await screen.waitForList();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(email)).toContainText(`After ${tag}`);
  });

  test("a user whose stored email breaks today's rules (written by another tool) can still be renamed", async ({ page, request }) => {
    const tag = uniqueTag();
    const legacyEmail = `legacy-no-at-${tag}`;
    const connection = await embeddedConnection(request);
    await withDatabase(connection, (client) => client.query('INSERT INTO users (email, name) VALUES ($1, $2)', [legacyEmail, `Legacy ${tag}`]));
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);

    await screen.editButton(legacyEmail).click();
    const dialog = screen.editUserDialog;
    await dialog.name.fill(`Renamed ${tag}`);
    await screen.reloadingList(() => dialog.save.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.row(legacyEmail).getByRole('cell').nth(3)).toHaveText(`Renamed ${tag}`);

    // Touching the email itself is checked as always.
    await screen.editButton(legacyEmail).click();
    await dialog.email.fill(`still-no-at-${tag}`);
    await dialog.save.click();
    await expect(dialog.root).toContainText('Email');
    await expect(dialog.root).toBeVisible();
  });

  test('the keyboard alone opens the form, submits it with Enter and closes a dialog with Escape', async ({ page }) => {
    const tag = uniqueTag();
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    // From the search box, Tab reaches how it matches, the page size, Filters, Export, Import and then "New user".
    await expect(screen.search).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(screen.match).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(screen.pageSize).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(screen.filters.toggle).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Export CSV', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Import CSV…', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(screen.newUserButton).toBeFocused();
    await page.keyboard.press('Enter');

    const dialog = screen.newUserDialog;
    await expect(dialog.root).toBeVisible();
    await expect(dialog.email).toBeFocused();
    await page.keyboard.type(`keys-${tag}@example.com`);
    await page.keyboard.press('Tab');
    await expect(dialog.name).toBeFocused();
    await page.keyboard.type(`Keyboard ${tag}`);
    await screen.reloadingList(() => page.keyboard.press('Enter'));

    await expect(dialog.root).toBeHidden();
    await expect(screen.row(`keys-${tag}@example.com`)).toContainText(`Keyboard ${tag}`);
    await expect(screen.notice(`Created keys-${tag}@example.com.`)).toBeVisible();
    // Focus goes back to the button that opened the dialog.
    await expect(screen.newUserButton).toBeFocused();

    // Escape closes the form without saving what was typed.
    await page.keyboard.press('Enter');
    await expect(dialog.root).toBeVisible();
    await page.keyboard.type(`escaped-${tag}@example.com`);
    await page.keyboard.press('Escape');
    await expect(dialog.root).toBeHidden();
    await expect(screen.newUserButton).toBeFocused();

    // Escape closes the delete confirmation too, and deletes nothing.
    await screen.deleteButton(`keys-${tag}@example.com`).focus();
    await page.keyboard.press('Enter');
    const confirm = screen.deleteUserDialog;
    await expect(confirm.root).toBeVisible();
    await expect(confirm.cancel).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm.root).toBeHidden();

    await page.reload();
    await screen.waitForList();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);
    await expect(screen.row(`keys-${tag}@example.com`)).toBeVisible();
  });

  test('Escape pressed again and again while a save is in flight leaves the dialog open until the answer arrives', async ({ page, request }) => {
    const tag = uniqueTag();
    const existing = await createUser(request, `held-taken-${tag}@example.com`, `Held Taken ${tag}`);
    // Hold the first users.create back (before it reaches the server) until the Escapes are done.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    await page.route(
      '**/api/users.create',
      async (route) => {
        arrived();
        await released;
        await route.continue();
      },
      { times: 1 },
    );
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    const dialog = await screen.openNewUser();
    await dialog.fill(existing.email, `Held ${tag}`);
    await dialog.save.click();
    await held;
    await expect(dialog.root.getByRole('status')).toHaveText('Saving…');

    // Chromium closes a modal dialog itself on a repeated Escape, even when `cancel` is prevented.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
    await expect(dialog.root).toBeVisible();
    await expect(dialog.root).toHaveJSProperty('open', true);
    await expect(dialog.email).toHaveValue(existing.email);

    // The answer (a duplicate) is shown in the dialog that is still open.
    release();
    await dialog.expectFieldError('email', `The email ${existing.email} is already used by user #${existing.id} (${existing.name}).`);
    await expect(dialog.root).toBeVisible();

    // And it still works: a free email saves and closes it.
    await dialog.email.fill(`held-${tag}@example.com`);
    await screen.reloadingList(() => dialog.save.click());
    await expect(dialog.root).toBeHidden();
    await expect(screen.notice(`Created held-${tag}@example.com.`)).toBeVisible();
    await expect(screen.row(`held-${tag}@example.com`)).toContainText(`Held ${tag}`);
  });

  test('database text is shown as text, never run as markup', async ({ page }) => {
    const tag = uniqueTag();
    const email = `xss-${tag}@example.com`;
    const name = '<img src=x onerror="window.__xss=1">';
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);

    await screen.createUser(email, name);

    const row = screen.row(email);
    await expect(row.getByRole('cell').nth(3)).toHaveText(name);
    await expect(screen.table.locator('img')).toHaveCount(0);

    // The dialogs show it literally as well.
    await screen.deleteButton(email).click();
    await expect(screen.deleteUserDialog.root).toContainText(`Delete user ${email} (${name})? This cannot be undone.`);
    await screen.deleteUserDialog.cancel.click();
    await screen.editButton(email).click();
    await expect(screen.editUserDialog.name).toHaveValue(name);
    await screen.editUserDialog.cancel.click();

    await expect(page.locator('img')).toHaveCount(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
  });
});
