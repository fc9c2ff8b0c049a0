import { expect, type Locator, type Page } from '@playwright/test';
import { serverAddress } from '../support/server';

/** The "New user" / "Edit user" dialog. */
export class UserFormDialog {
  readonly root: Locator;
  readonly email: Locator;
  readonly name: Locator;
  readonly save: Locator;
  readonly cancel: Locator;

  constructor(page: Page, title: 'New user' | 'Edit user') {
    this.root = page.getByRole('dialog', { name: title });
    this.email = this.root.getByLabel('Email', { exact: true });
    this.name = this.root.getByLabel('Name', { exact: true });
    this.save = this.root.getByRole('button', { name: 'Save', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  async fill(email: string, name: string): Promise<void> {
    await this.email.fill(email);
    await this.name.fill(name);
  }

  /** Checks a message is shown at a field: tied to the input as its description, and marked invalid. */
  async expectFieldError(field: 'email' | 'name', message: string | RegExp): Promise<void> {
    const input = field === 'email' ? this.email : this.name;
    await expect(this.root.locator(`#${field}-error`)).toHaveText(message);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(message);
  }
}

/** The "Delete user" confirmation. */
export class DeleteUserDialog {
  readonly root: Locator;
  readonly confirm: Locator;
  readonly cancel: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Delete user' });
    this.confirm = this.root.getByRole('button', { name: 'Delete', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }
}

/** The "Delete users" confirmation of a bulk delete: preview, progress, outcome. */
export class BulkDeleteDialog {
  readonly root: Locator;
  readonly confirm: Locator;
  readonly cancel: Locator;
  readonly close: Locator;
  readonly reviewAgain: Locator;
  readonly cancelDelete: Locator;
  readonly progress: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Delete users' });
    this.confirm = this.root.getByRole('button', { name: /^Delete [\d,]+ users?$/ });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
    this.reviewAgain = this.root.getByRole('button', { name: 'Review again', exact: true });
    this.cancelDelete = this.root.getByRole('button', { name: 'Cancel delete', exact: true });
    this.progress = this.root.getByRole('group', { name: 'Delete progress' });
  }
}

/** The Filters panel under the toolbar. */
export class UsersFilters {
  readonly toggle: Locator;
  readonly root: Locator;
  readonly createdFrom: Locator;
  readonly createdTo: Locator;
  readonly idFrom: Locator;
  readonly idTo: Locator;
  readonly products: Locator;
  readonly apply: Locator;
  /** "2 filters on", beside the toggle. */
  readonly on: Locator;
  readonly clear: Locator;

  constructor(page: Page) {
    this.toggle = page.getByRole('button', { name: 'Filters', exact: true });
    this.root = page.getByRole('form', { name: 'Filters' });
    this.createdFrom = this.root.getByLabel('Created from', { exact: true });
    this.createdTo = this.root.getByLabel('Created to', { exact: true });
    this.idFrom = this.root.getByLabel('ID from', { exact: true });
    this.idTo = this.root.getByLabel('ID to', { exact: true });
    this.products = this.root.getByLabel('Owns products', { exact: true });
    this.apply = this.root.getByRole('button', { name: 'Apply filters', exact: true });
    this.on = page.getByText(/^\d+ filters? on$/);
    this.clear = page.getByRole('button', { name: 'Clear filters', exact: true });
  }

  async open(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) !== 'true') await this.toggle.click();
    await expect(this.root).toBeVisible();
  }

  /** Checks a message is shown at a filter: tied to the input as its description, and marked invalid. */
  async expectFieldError(input: Locator, message: string | RegExp): Promise<void> {
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(message);
  }
}

/** "Go to": a user id, a value of the sort column, or a position. */
export class GoTo {
  readonly root: Locator;
  readonly mode: Locator;
  readonly go: Locator;
  /** What the last jump found ("About row 500,000 …"). */
  readonly outcome: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('form', { name: 'Go to a user' });
    this.mode = this.root.getByLabel('Go to', { exact: true });
    this.go = this.root.getByRole('button', { name: 'Go', exact: true });
    this.outcome = this.root.getByRole('status');
  }

  /** The value field: its label is the mode's ("User ID", "Name starting with", "Row number or %"). */
  value(): Locator {
    return this.root.locator('input');
  }

  /** Picks the mode by its label ("User ID", "Row number or %", "Name starting with"…), types, presses Go. */
  async goTo(mode: string, value: string): Promise<void> {
    await this.mode.selectOption({ label: mode });
    await this.value().fill(value);
    await this.go.click();
  }
}

/**
 * The users screen as an admin sees it (after Beekeeper Studio's e2e/pageComponents): locators
 * by accessible name, and waits on what the page shows, never on time.
 */
export class UsersScreen {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly newUserButton: Locator;
  readonly search: Locator;
  readonly pageSize: Locator;
  /** The pager above the table (it also says how many users there are). */
  readonly pager: Locator;
  /** The pager below the table. */
  readonly bottomPager: Locator;
  readonly total: Locator;
  readonly countExactlyButton: Locator;
  readonly previousButton: Locator;
  readonly nextButton: Locator;
  readonly firstButton: Locator;
  readonly lastButton: Locator;
  /** Where the page sits, in the pager above the table: "Rows 26–50" (the total stands beside it). */
  readonly rowsLabel: Locator;
  /** The same below the table, with the total: "Rows 26–50 of 60". */
  readonly bottomRowsLabel: Locator;
  readonly match: Locator;
  readonly filters: UsersFilters;
  readonly goTo: GoTo;
  readonly searchNote: Locator;
  readonly pageCheckbox: Locator;
  readonly selectionBar: Locator;
  readonly selectAllMatching: Locator;
  readonly deleteSelected: Locator;
  readonly bulkDeleteDialog: BulkDeleteDialog;
  readonly statusBar: Locator;
  readonly emptyState: Locator;
  readonly newUserDialog: UserFormDialog;
  readonly editUserDialog: UserFormDialog;
  readonly deleteUserDialog: DeleteUserDialog;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Users', exact: true });
    this.table = page.getByRole('table', { name: 'Users' });
    this.rows = this.table.locator('tbody').getByRole('row');
    this.newUserButton = page.getByRole('button', { name: 'New user', exact: true });
    this.search = page.getByLabel('Search users');
    this.pageSize = page.getByLabel('Rows per page');
    this.pager = page.getByRole('navigation', { name: 'Pages, above the table' });
    this.bottomPager = page.getByRole('navigation', { name: 'Pages, below the table' });
    this.total = this.pager.getByText(/^(about )?[\d,]+ users?$/);
    this.countExactlyButton = this.pager.getByRole('button', { name: 'Count exactly', exact: true });
    this.previousButton = this.pager.getByRole('button', { name: 'Previous', exact: true });
    this.nextButton = this.pager.getByRole('button', { name: 'Next', exact: true });
    this.firstButton = this.pager.getByRole('button', { name: 'First', exact: true });
    this.lastButton = this.pager.getByRole('button', { name: 'Last', exact: true });
    this.rowsLabel = this.pager.getByText(/^(Rows? ≈?[\d,]+|[\d,]+ rows?)\b/);
    this.bottomRowsLabel = this.bottomPager.getByText(/^(Rows? ≈?[\d,]+|[\d,]+ rows?)\b/);
    this.match = page.getByLabel('Match', { exact: true });
    this.filters = new UsersFilters(page);
    this.goTo = new GoTo(page);
    this.searchNote = page.getByRole('note');
    this.pageCheckbox = this.table.getByRole('checkbox', { name: 'Select all users on this page', exact: true });
    this.selectionBar = page.getByRole('group', { name: 'Selected users' });
    this.selectAllMatching = this.selectionBar.getByRole('button', { name: /^Select all / });
    this.deleteSelected = this.selectionBar.getByRole('button', { name: 'Delete selected…', exact: true });
    this.bulkDeleteDialog = new BulkDeleteDialog(page);
    this.statusBar = page.getByRole('contentinfo', { name: 'Database status' });
    this.emptyState = page.getByText(/^No users yet\.( Create the first one\.)?$|^No users match “.*”\.$/);
    this.newUserDialog = new UserFormDialog(page, 'New user');
    this.editUserDialog = new UserFormDialog(page, 'Edit user');
    this.deleteUserDialog = new DeleteUserDialog(page);
  }

  /** Opens the address browser mode printed (token included) and waits for the first page. */
  async open(url = serverAddress().url): Promise<void> {
    await this.page.goto(url);
    await this.waitForList();
  }

  async waitForList(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.table).toBeVisible();
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
    await expect(this.total).toBeVisible();
  }

  /** Runs something that reloads the list and waits until the new rows are on screen. */
  async reloadingList(action: () => Promise<void>): Promise<void> {
    const answered = this.page.waitForResponse((response) => new URL(response.url()).pathname === '/api/users.list');
    await action();
    await answered;
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
  }

  /** Types a search and waits for its results (the box is debounced). */
  async searchFor(term: string): Promise<void> {
    const answered = this.page.waitForResponse((response) => {
      if (new URL(response.url()).pathname !== '/api/users.list') return false;
      const body = response.request().postDataJSON() as { search?: string } | null;
      return body?.search === term.trim();
    });
    await this.search.fill(term);
    await answered;
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
  }

  row(email: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: email, exact: true }) });
  }

  editButton(email: string): Locator {
    return this.table.getByRole('button', { name: `Edit ${email}`, exact: true });
  }

  deleteButton(email: string): Locator {
    return this.table.getByRole('button', { name: `Delete ${email}`, exact: true });
  }

  sortButton(label: 'ID' | 'Email' | 'Name' | 'Created'): Locator {
    return this.table.getByRole('columnheader').getByRole('button', { name: label, exact: true });
  }

  columnHeader(label: 'ID' | 'Email' | 'Name' | 'Created'): Locator {
    return this.table.getByRole('columnheader', { name: label });
  }

  /** One column's texts on the page shown, top to bottom, read in one go (after the row boxes). */
  columnTexts(column: 'id' | 'email' | 'name'): Promise<string[]> {
    const nth = { id: 2, email: 3, name: 4 }[column];
    return this.table.locator(`tbody tr > td:nth-child(${nth})`).allTextContents();
  }

  /** The ids on the page shown, as numbers. */
  async ids(): Promise<number[]> {
    return (await this.columnTexts('id')).map(Number);
  }

  rowCheckbox(email: string): Locator {
    return this.table.getByRole('checkbox', { name: `Select ${email}`, exact: true });
  }

  productsButton(email: string): Locator {
    return this.table.getByRole('button', { name: `Products of ${email}`, exact: true });
  }

  /** A user's products panel (the drawer), by its heading. */
  productsPanel(email: string): Locator {
    return this.page.getByRole('region', { name: `Products of ${email}`, exact: true });
  }

  /** Each column header's width on screen, left to right. */
  async columnWidths(): Promise<number[]> {
    const widths: number[] = [];
    for (const header of await this.table.locator('thead th').all()) widths.push((await header.boundingBox())?.width ?? 0);
    return widths;
  }

  /** "Rows 26–50" in the pager above the table (or "Rows 26–50 of 60" below it: `bottom`). */
  rangeLabel(text: string, bottom = false): Locator {
    return (bottom ? this.bottomPager : this.pager).getByText(text, { exact: true });
  }

  notice(text: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  async expectTotal(count: number): Promise<void> {
    await expect(this.total).toHaveText(count === 1 ? '1 user' : `${count.toLocaleString('en-US')} users`);
  }

  async openNewUser(): Promise<UserFormDialog> {
    await this.newUserButton.click();
    await expect(this.newUserDialog.root).toBeVisible();
    return this.newUserDialog;
  }

  /** Creates a user through the form and waits for the dialog to close and the list to reload. */
  async createUser(email: string, name: string): Promise<void> {
    const dialog = await this.openNewUser();
    await dialog.fill(email, name);
    await this.reloadingList(() => dialog.save.click());
    await expect(dialog.root).toBeHidden();
  }
}
