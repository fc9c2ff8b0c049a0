import { expect, type Locator, type Page } from '@playwright/test';
import { serverAddress } from '../support/server';

/** The "Restore backup" dialog: pre-flight, choices, typed confirmation, then progress and result. */
export class RestoreDialog {
  readonly root: Locator;
  /** "Checking the backup and the target…" while the pre-flight runs. */
  readonly checking: Locator;
  readonly fileTables: Locator;
  readonly problems: Locator;
  readonly replaceTarget: Locator;
  readonly newTarget: Locator;
  readonly newDatabaseName: Locator;
  /** Said instead of a check while "Restore into a new database" has no name yet. */
  readonly nameNeeded: Locator;
  /** The warning, apart from what is replaced: what the restore drops and the backup does not hold. */
  readonly notBroughtBack: Locator;
  readonly safetyBackup: Locator;
  readonly endSessions: Locator;
  readonly withoutOwnership: Locator;
  readonly confirmField: Locator;
  readonly commandLine: Locator;
  readonly restoreButton: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly cancelRestore: Locator;
  readonly rowCounts: Locator;
  readonly close: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Restore backup' });
    this.checking = this.root.getByRole('status').filter({ hasText: 'Checking the backup and the target…' });
    this.fileTables = this.root.getByRole('table', { name: 'Tables in the backup' });
    this.problems = this.root.getByRole('region', { name: 'Found before restoring' });
    this.replaceTarget = this.root.getByRole('radio', { name: /^Replace the contents of / });
    this.newTarget = this.root.getByRole('radio', { name: 'Restore into a new database' });
    this.newDatabaseName = this.root.getByLabel('New database name', { exact: true });
    this.nameNeeded = this.root.getByText('Type a name for the new database.', { exact: true });
    this.notBroughtBack = this.root.getByRole('region', { name: 'Dropped and NOT brought back by this backup' });
    this.safetyBackup = this.root.getByRole('checkbox', { name: /^Take a safety backup of .* first$/ });
    this.endSessions = this.root.getByRole('checkbox', { name: 'End these sessions first' });
    this.withoutOwnership = this.root.getByRole('checkbox', { name: /^Restore without ownership and privileges/ });
    this.confirmField = this.root.getByLabel(/^Type .* to confirm$/);
    this.commandLine = this.root.getByLabel('Command line (password hidden)');
    this.restoreButton = this.root.getByRole('button', { name: 'Restore', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
    this.progress = this.root.getByRole('group', { name: 'Restore progress' });
    this.cancelRestore = this.root.getByRole('button', { name: 'Cancel restore', exact: true });
    this.rowCounts = this.root.getByRole('table', { name: 'Row counts after the restore' });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
  }

  /** The table of what the target holds now and will lose, named after the database. */
  replaced(database: string): Locator {
    return this.root.getByRole('table', { name: `Dropped and replaced in ${database}` });
  }

  /** The confirmation field for a given name: "Type <name> to confirm". */
  confirmFieldFor(name: string): Locator {
    return this.root.getByLabel(`Type ${name} to confirm`, { exact: true });
  }

  /** Waits until the pre-flight has answered for the choices shown. */
  async waitForPreflight(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.confirmField).toBeVisible();
    await expect(this.checking).toHaveCount(0);
  }

  status(text: string | RegExp): Locator {
    return this.root.getByRole('status').filter({ hasText: text });
  }
}

/** The "Delete backup" confirmation. */
export class DeleteBackupDialog {
  readonly root: Locator;
  readonly confirm: Locator;
  readonly cancel: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Delete backup' });
    this.confirm = this.root.getByRole('button', { name: 'Delete', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }
}

/**
 * The Backups screen as an admin sees it: locators by accessible name, and waits on what the
 * page shows, never on time.
 */
export class BackupsScreen {
  readonly heading: Locator;
  readonly navItem: Locator;
  readonly backUpNow: Locator;
  readonly optionsButton: Locator;
  readonly optionsPanel: Locator;
  readonly backUpWithOptions: Locator;
  /** The running backup: its phase, progress bar and Cancel. */
  readonly progress: Locator;
  readonly progressBar: Locator;
  readonly cancelBackup: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly emptyState: Locator;
  readonly changeFolder: Locator;
  readonly toolsButton: Locator;
  readonly restoreDialog: RestoreDialog;
  readonly deleteDialog: DeleteBackupDialog;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Backups', exact: true });
    this.navItem = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Backups', exact: true });
    this.backUpNow = page.getByRole('button', { name: 'Back up now', exact: true });
    this.optionsButton = page.getByRole('button', { name: 'Options', exact: true });
    this.optionsPanel = page.getByRole('region', { name: 'Backup options' });
    this.backUpWithOptions = page.getByRole('button', { name: 'Back up with these options', exact: true });
    this.progress = page.getByRole('group', { name: 'Backup progress' });
    this.progressBar = this.progress.getByRole('progressbar');
    this.cancelBackup = this.progress.getByRole('button', { name: 'Cancel backup', exact: true });
    this.table = page.getByRole('table', { name: 'Backups', exact: true });
    this.rows = this.table.locator('tbody').getByRole('row');
    this.emptyState = page.getByText('No backups yet. Back up now to make the first one.', { exact: true });
    this.changeFolder = page.getByRole('button', { name: 'Change folder…', exact: true });
    this.toolsButton = page.getByRole('button', { name: 'Client tools', exact: true });
    this.restoreDialog = new RestoreDialog(page);
    this.deleteDialog = new DeleteBackupDialog(page);
  }

  /** Opens the printed address (token included), goes to Backups and waits for the history. */
  async open(url = serverAddress().url): Promise<void> {
    await this.page.goto(url);
    await this.navItem.click();
    await this.waitForHistory();
  }

  /** The history has answered: a table, or the empty state. */
  async waitForHistory(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.table.or(this.emptyState)).toBeVisible();
    await expect(this.page.getByRole('status').filter({ hasText: 'Loading backups…' })).toHaveCount(0);
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** A row's Kind cell: who made it, and a tag when it is partial ("partial: only public.users"). */
  kind(name: string): Locator {
    return this.row(name).locator('td.col-backup-kind');
  }

  /** A row's Rows summary ("users 40 · products 12"). */
  rowCounts(name: string): Locator {
    return this.row(name).locator('td.col-backup-rows');
  }

  /** A row's Name cell. */
  nameCell(name: string): Locator {
    return this.row(name).locator('td.col-backup-name');
  }

  /** A row's verification cell ("Verified ✓ …", "Failed: …", "Not verified"). */
  verification(name: string): Locator {
    return this.row(name).locator('td.col-backup-verification');
  }

  verifyButton(name: string): Locator {
    return this.table.getByRole('button', { name: `Verify ${name}`, exact: true });
  }

  restoreButton(name: string): Locator {
    return this.table.getByRole('button', { name: `Restore ${name}…`, exact: true });
  }

  deleteButton(name: string): Locator {
    return this.table.getByRole('button', { name: `Delete ${name}…`, exact: true });
  }

  downloadButton(name: string): Locator {
    return this.table.getByRole('button', { name: `Download ${name}`, exact: true });
  }

  /** A live message on the screen (role=status), e.g. "Backup written and verified: …". */
  notice(text: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  /** Opens the restore dialog for a backup and waits for its pre-flight. */
  async openRestore(name: string): Promise<RestoreDialog> {
    await this.restoreButton(name).click();
    await this.restoreDialog.waitForPreflight();
    return this.restoreDialog;
  }
}
