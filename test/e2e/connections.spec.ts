import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { BackupsScreen } from './pages/BackupsScreen';
import { ConnectionsScreen } from './pages/ConnectionsScreen';
import { UsersScreen } from './pages/UsersScreen';
import { createScratchDatabase, dropScratchDatabase, embeddedConnection, withDatabase, type EmbeddedConnection } from './support/database';
import { callApi, createUser, migrateUp, uniqueTag } from './support/server';
import { repoRoot } from '../support/simple-db-process';

/** What this version of Simple DB needs, in the order it applies them (the runner sorts by name). */
const MIGRATIONS = fs
  .readdirSync(path.join(repoRoot, 'migrations'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.basename(file, '.ts'))
  .sort((a, b) => a.localeCompare(b));

const EMBEDDED = 'Embedded PostgreSQL';

/**
 * Saved connections, end to end, on the run's shared server. The "remote" database is a scratch
 * database on the run's embedded PostgreSQL, reached as its superuser like any other server
 * (its password from the data directory). Browser mode has no OS secret store, so a saved
 * password is kept in memory, with consent. Every profile, backup and database made here is
 * removed again, and each test ends with its window back on the embedded database.
 */
test.describe('connections', () => {
  let request: APIRequestContext;
  let connection: EmbeddedConnection;
  /** In every profile's name, so the clean-up finds this run's and no one else's. */
  const runTag = uniqueTag();
  const databases: string[] = [];

  /** A profile name of this run. */
  const profileName = (what: string) => `E2E ${what} ${runTag}`;

  async function scratchDatabase(): Promise<string> {
    const name = await createScratchDatabase(connection);
    databases.push(name);
    return name;
  }

  test.beforeAll(async ({ playwright }) => {
    request = await playwright.request.newContext();
    connection = await embeddedConnection(request);
  });

  test.afterAll(async () => {
    try {
      // Deleting a profile closes its connection too.
      const { entries } = await callApi(request, 'connections.list', {});
      for (const entry of entries) {
        if (entry.kind === 'profile' && entry.name.endsWith(runTag)) await callApi(request, 'connections.delete', { id: entry.id });
      }
      const { backups } = await callApi(request, 'backups.list', {});
      for (const backup of backups) {
        if (databases.some((database) => backup.name.startsWith(`${database}-`))) await callApi(request, 'backups.delete', { name: backup.name });
      }
    } finally {
      for (const database of databases) await dropScratchDatabase(connection, database);
      await request?.dispose();
    }
  });

  test('add a profile, test it, connect, apply its migrations, see its users, back it up, and switch back to the embedded database', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const database = await scratchDatabase();
    const name = profileName('remote');
    const address = `${connection.user}@${connection.host}:${connection.port}/${database}`;
    const serverVersion = await withDatabase(
      connection,
      async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v,
    );
    // A user of the embedded database, to tell it from the scratch one when the window is back.
    const homeTag = uniqueTag();
    const home = await createUser(request, `home-${homeTag}@example.com`, `Home ${homeTag}`);

    const screen = new ConnectionsScreen(page);
    const shell = new AppShell(page);
    await screen.open();
    await expect(screen.switcher.root).toContainText(EMBEDDED);
    await expect(page).toHaveTitle(/^Embedded PostgreSQL .+ — Simple DB$/);

    // New connection: the form, with the password kept in memory (the form says so).
    await screen.newConnection.click();
    const form = screen.newForm;
    await expect(form.root).toBeVisible();
    await expect(form.secretStorageNote).toContainText('Passwords are kept only in memory until Simple DB quits');
    await form.fillServer({
      name,
      host: connection.host,
      port: String(connection.port),
      database,
      user: connection.user,
      password: connection.password,
    });
    await form.sslMode.selectOption('disable');

    // Test connection: each step as it happens, then what it found.
    await form.runTest();
    await expect(form.testStatus).toHaveText(/^Connection works \(\d+(\.\d)? ms\)\.$/);
    await expect(form.testPanel).toBeVisible();
    await expect(form.testStep(`Reaching ${connection.host}:${connection.port}`)).toHaveClass(/test-step-ok/);
    await expect(form.testStep(`Logging in as ${connection.user} to ${database}`)).toHaveClass(/test-step-ok/);
    await expect(form.testStep('Server version and round trip')).toContainText(`PostgreSQL ${serverVersion}`);
    await expect(form.testSteps.and(page.locator('.test-step-failed'))).toHaveCount(0);
    await expect(form.testResult).toContainText(`PostgreSQL ${serverVersion}`);
    await expect(form.testResult).toContainText('Not encrypted');
    await expect(form.testResult).toContainText('Simple DB schema');

    // Saving a password needs the consent to keep it in memory.
    await form.save.click();
    await expect(form.root).toBeVisible();
    await form.expectFieldError('keepSecretsInMemory', /^Tick this to keep the password until Simple DB quits/);
    await form.keepInMemory.check();
    await form.save.click();
    await expect(form.root).toBeHidden();
    await expect(screen.notice(`Saved ${name}. Connect to open it.`)).toBeVisible();
    await expect(screen.state(name)).toContainText('Closed');
    await expect(screen.row(name)).toContainText(address);

    // Connect: the sidebar, the status bar and the title name it.
    await screen.connect(name);
    await expect(screen.state(name)).toContainText('Open');
    await expect(screen.switcher.root).toContainText(name);
    await expect(screen.switcher.root).toContainText(address);
    await expect(page).toHaveTitle(`${name} — Simple DB`);
    await expect(screen.statusBar).toContainText(name);

    // A fresh database: its migrations are pending, in the status bar and the panel.
    const pendingText = `${MIGRATIONS.length} migrations pending`;
    const pendingButton = screen.statusBar.getByRole('button', { name: pendingText, exact: true });
    await expect(pendingButton).toBeVisible();
    await pendingButton.click();
    const panel = screen.migrations;
    await expect(panel.root).toHaveAccessibleName(`Migrations on ${name}`);
    // Each pending migration by name; one that builds indexes also says what they cost.
    await expect(panel.pending).toHaveText(
      MIGRATIONS.map((migration) => new RegExp(`^${migration.replace(/\./g, '\\.')}( — builds \\d+ indexes, ~.+)?$`)),
    );
    await expect(panel.pending.last()).toContainText(/builds \d+ indexes, ~\d/);
    await expect(panel.pending.last()).not.toContainText('~0 bytes');
    await expect(panel.applied).toHaveCount(0);

    // Apply them (a backup first is offered for a database the admin brought: not needed here).
    await panel.apply.click();
    const confirm = page.getByRole('dialog', { name: 'Apply migrations' });
    await expect(confirm).toContainText(`Apply ${MIGRATIONS.length} pending migrations to ${connection.host}:${connection.port}/${database}?`);
    const backupFirst = confirm.getByRole('checkbox', { name: /^Back up the database first/ });
    await expect(backupFirst).toBeChecked();
    await backupFirst.uncheck();
    await confirm.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(confirm).toBeHidden({ timeout: 30_000 });
    await expect(shell.toasts).toContainText(`Applied ${MIGRATIONS.length} migrations.`);
    await expect(panel.applied).toHaveText(MIGRATIONS);
    await expect(panel.pending).toHaveCount(0);
    await expect(screen.statusBar.getByRole('button', { name: 'Schema up to date', exact: true })).toBeVisible();

    // Rolling back the newest (index-only) migration says what it really does: no rows are lost.
    await panel.rollBack.click();
    await expect(panel.rollBackDialog).toContainText('Drops the indexes it built; no rows are lost.');
    await expect(panel.rollBackDialog).not.toContainText('with their data');
    await panel.rollBackDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(panel.rollBackDialog).toBeHidden();

    // Its users, put there behind Simple DB's back, are what the Users screen lists.
    const remoteTag = uniqueTag();
    const emails = ['ada', 'grace', 'edsger'].map((first) => `${first}.${remoteTag}@remote.example.com`);
    await withDatabase(
      connection,
      async (client) => {
        for (const email of emails) await client.query('INSERT INTO users (email, name) VALUES ($1, $2)', [email, `Remote ${email.split('.')[0]}`]);
      },
      database,
    );
    const users = new UsersScreen(page);
    await shell.navItem('Users', { exact: true }).click();
    await users.waitForList();
    await users.expectTotal(emails.length);
    expect((await users.columnTexts('email')).sort()).toEqual([...emails].sort());
    await expect(users.row(home.email)).toHaveCount(0);

    // Back up now: the file is named after the connection's database.
    const backups = new BackupsScreen(page);
    await backups.navItem.click();
    await backups.waitForHistory();
    // The screen names the connection, not only the database (two profiles may reach one name).
    await expect(page.locator('.screen-subtitle')).toContainText(`Database ${database} on ${name}`);
    await backups.backUpNow.click();
    const done = backups.notice(/^Backup written and verified: /);
    await expect(done).toBeVisible({ timeout: 60_000 });
    const backupName = ((await done.textContent()) ?? '').replace('Backup written and verified: ', '').trim();
    expect(backupName).toMatch(new RegExp(`^${database}-.+\\.dump$`));
    await expect(backups.row(backupName)).toBeVisible();
    await expect(backups.row(backupName)).toContainText(`users ${emails.length}`);

    // Switch back to the embedded database from the sidebar: its users again, and its name.
    await screen.switcher.openList();
    await expect(screen.switcher.item(name)).toHaveAttribute('aria-current', 'true');
    await expect(screen.switcher.item(EMBEDDED)).not.toHaveAttribute('aria-current', 'true');
    await screen.switcher.item(EMBEDDED).click();
    await expect(screen.switcher.toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(screen.switcher.root).toContainText(EMBEDDED);
    await expect(screen.switcher.root).not.toContainText(name);
    await expect(page).toHaveTitle(/^Embedded PostgreSQL .+ — Simple DB$/);
    await shell.navItem('Users', { exact: true }).click();
    await users.waitForList();
    await users.searchFor(homeTag);
    await expect(users.row(home.email)).toBeVisible();
    await users.searchFor(remoteTag);
    await expect(users.rows).toHaveCount(0);
    await users.expectTotal(0);
    // The profile stays open, for switching to again.
    await screen.switcher.openList();
    await expect(screen.switcher.item(name)).toBeVisible();
    await expect(screen.switcher.item(EMBEDDED)).toHaveAttribute('aria-current', 'true');
  });

  test('a wrong password is said at the Password field when testing, and again when connecting with it saved', async ({ page }) => {
    const database = await scratchDatabase();
    const name = profileName('wrong password');
    const screen = new ConnectionsScreen(page);
    await screen.open();

    await screen.newConnection.click();
    const form = screen.newForm;
    await form.fillServer({
      name,
      host: connection.host,
      port: String(connection.port),
      database,
      user: connection.user,
      password: `not-${connection.password}`,
    });
    await form.sslMode.selectOption('disable');
    await form.runTest();
    const login = `Logging in as ${connection.user} to ${database}`;
    await expect(form.testStatus).toHaveText(`The test failed at: ${login}.`);
    // The server was reached (a step too quick to be seen running is still listed as passed), the login failed.
    await expect(form.testSteps).toHaveCount(2);
    await expect(form.testSteps.first()).toContainText('Reach');
    await expect(form.testSteps.first()).toHaveClass(/test-step-ok/);
    await expect(form.testSteps.last()).toContainText(`Failed: ${login}`);
    await expect(form.testSteps.last()).toHaveClass(/test-step-failed/);
    // At the field, naming the user; focus goes there; not said a second time under the test.
    const message = new RegExp(
      `^PostgreSQL rejected the password for user "${connection.user}" at .+ \\(it says the same when there is no such user\\)\\. Check the password of the connection “${name}”\\.$`,
    );
    await form.expectFieldError('secrets.password', message);
    await expect(form.password).toBeFocused();
    await expect(form.testPanel.getByRole('alert')).toHaveCount(0);
    const said = (await form.fieldError('secrets.password').textContent()) ?? '';

    // Saved as it is (kept in memory): Connect says the same and asks for the right one; the window stays where it was meanwhile.
    await form.keepInMemory.check();
    await form.save.click();
    await expect(form.root).toBeHidden();
    await screen.action('Connect', name).click();
    const prompt = page.getByRole('dialog', { name: 'Password needed' });
    await expect(prompt).toContainText(said, { timeout: 30_000 });
    await expect(screen.switcher.root).toContainText(EMBEDDED);
    await expect(page).toHaveTitle(/^Embedded PostgreSQL .+ — Simple DB$/);

    // The right password, remembered (in memory here): it replaces the saved one, and the connection opens.
    await prompt.getByLabel('Password', { exact: true }).fill(connection.password);
    await prompt.getByRole('checkbox').check();
    await prompt.getByRole('button', { name: 'Connect' }).click();
    await expect(prompt).toBeHidden();
    await expect(screen.switcher.root).toContainText(name);
    await screen.action('Edit', name).click();
    await expect(screen.editForm.root).toContainText('A password is saved.');
    await page.keyboard.press('Escape');
    await expect(screen.editForm.root).toBeHidden();

    // Back to the embedded database, from the Connections screen this time.
    await screen.action('Switch to', EMBEDDED).click();
    await expect(screen.notice(`This window now shows ${EMBEDDED}.`)).toBeVisible();
    await expect(screen.switcher.root).toContainText(EMBEDDED);
  });

  test('a read-only connection: Simple DB refuses to change it, and says why', async ({ page }) => {
    test.setTimeout(120_000);
    const database = await scratchDatabase();
    // Its schema is made current beforehand, through a writable profile of its own (arranging, not tested).
    const writer = await callApi(request, 'connections.save', {
      profile: {
        name: profileName('writer'),
        host: connection.host,
        port: connection.port,
        database,
        user: connection.user,
        ssl: { mode: 'disable' },
      },
      secrets: { password: connection.password },
      keepSecretsInMemory: true,
    });
    await callApi(request, 'connections.open', { id: writer.id });
    await migrateUp(request, undefined, writer.id);
    // One user, so the list has a row whose Edit and Delete can be looked at.
    const email = `kept-${uniqueTag()}@example.com`;
    await callApi(request, 'users.create', { email, name: 'Kept' }, undefined, writer.id);
    await callApi(request, 'connections.delete', { id: writer.id });

    const name = profileName('read-only');
    const screen = new ConnectionsScreen(page);
    await screen.open();
    await screen.createProfile({
      name,
      host: connection.host,
      port: String(connection.port),
      database,
      user: connection.user,
      password: connection.password,
      sslMode: 'disable',
      readOnly: true,
    });
    await expect(screen.row(name)).toContainText('read-only');
    await screen.connect(name);
    await expect(screen.switcher.root).toContainText(name);
    await expect(screen.switcher.root).toContainText('read-only');
    await expect(screen.statusBar).toContainText('read-only');

    // The migrations panel offers nothing to change, with the reason.
    await expect(screen.migrations.root).toContainText('This connection is read-only: Simple DB does not change its schema.');
    await expect(screen.migrations.rollBack).toBeDisabled();

    // Users: nothing that changes them is offered, and the screen says why (before any form is filled).
    const readOnlyReason = `“${name}” is read-only: Simple DB does not change its data.`;
    const users = new UsersScreen(page);
    await new AppShell(page).navItem('Users', { exact: true }).click();
    await users.waitForList();
    await users.expectTotal(1);
    const usersReason = `${readOnlyReason} Edit the connection to allow changes.`;
    await expect(page.getByText(usersReason, { exact: true })).toBeVisible();
    for (const button of [users.newUserButton, users.editButton(email), users.deleteButton(email)]) {
      await expect(button).toBeVisible();
      await expect(button).toHaveAttribute('aria-disabled', 'true');
      await expect(button).toHaveAccessibleDescription(usersReason);
    }
    // Still focusable (so the reason is read), and pressing it opens nothing.
    await users.newUserButton.focus();
    await page.keyboard.press('Enter');
    await expect(users.newUserDialog.root).toHaveCount(0);

    // Backups work on it; restoring one does not, and the screen says so up front.
    const backups = new BackupsScreen(page);
    await backups.navItem.click();
    await backups.waitForHistory();
    await expect(backups.backUpNow).not.toHaveAttribute('aria-disabled', 'true');
    await backups.backUpNow.click();
    const done = backups.notice(/^Backup written and verified: /);
    await expect(done).toBeVisible({ timeout: 60_000 });
    const backupName = ((await done.textContent()) ?? '').replace('Backup written and verified: ', '').trim();
    await expect(backups.row(backupName)).toBeVisible();
    const restoreReason = `${readOnlyReason} Backups work; restoring does not.`;
    await expect(page.getByText(restoreReason, { exact: true })).toBeVisible();
    const restore = backups.restoreButton(backupName);
    await expect(restore).toHaveAttribute('aria-disabled', 'true');
    await expect(restore).toHaveAccessibleDescription(restoreReason);
    await restore.focus();
    await page.keyboard.press('Enter');
    await expect(backups.restoreDialog.root).toHaveCount(0);

    // The server refuses a change all the same (the screens only say so first).
    const profile = (await callApi(request, 'connections.list', {})).entries.find((entry) => entry.name === name);
    expect(profile).toBeDefined();
    await expect(
      callApi(request, 'users.create', { email: `refused-${uniqueTag()}@example.com`, name: 'Refused' }, undefined, profile?.id),
    ).rejects.toThrow('is a read-only connection: the server refused the change, and nothing was changed.');
    const count = await withDatabase(
      connection,
      async (client) => (await client.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n,
      database,
    );
    expect(Number(count)).toBe(1);

    await screen.switcher.switchTo(EMBEDDED);
    await expect(screen.switcher.root).toContainText(EMBEDDED);
    await expect(screen.switcher.root).not.toContainText('read-only');
  });
});
