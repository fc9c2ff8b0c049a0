import { expect, type Locator, type Page } from '@playwright/test';
import { serverAddress } from '../support/server';

/** The owner picker (a combobox): typed into, its list of matching users, its choice. */
export class OwnerPickerField {
  readonly input: Locator;
  readonly listbox: Locator;

  constructor(
    readonly page: Page,
    scope: Locator | Page,
    label: string,
  ) {
    this.input = scope.getByRole('combobox', { name: label, exact: true });
    this.listbox = scope.getByRole('listbox', { name: `${label}: matching users` });
  }

  option(text: string | RegExp): Locator {
    return this.listbox.getByRole('option', { name: text });
  }

  /** Types part of an email (or name) and waits until the list holds the matches for it. */
  async search(text: string): Promise<void> {
    const answered = this.page.waitForResponse((response) => {
      if (new URL(response.url()).pathname !== '/api/users.list') return false;
      const body = response.request().postDataJSON() as { search?: string } | null;
      return body?.search === text.trim();
    });
    await this.input.fill(text);
    await answered;
    await expect(this.listbox).toBeVisible();
  }

  /** Clicks the user whose email is `email` in the open list. */
  async pick(email: string): Promise<void> {
    await this.option(new RegExp(`^${escapeRegExp(email)} `)).click();
    await expect(this.listbox).toBeHidden();
    await expect(this.input).toHaveValue(email);
  }

  /** Types part of an email and clicks the user whose email is `email` in the list. */
  async choose(typed: string, email: string): Promise<void> {
    await this.search(typed);
    await this.pick(email);
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The "New product" / "Edit product" dialog. */
export class ProductFormDialog {
  readonly root: Locator;
  readonly name: Locator;
  readonly owner: OwnerPickerField;
  readonly save: Locator;
  readonly cancel: Locator;

  constructor(page: Page, title: 'New product' | 'Edit product') {
    this.root = page.getByRole('dialog', { name: title });
    this.name = this.root.getByLabel('Name', { exact: true });
    this.owner = new OwnerPickerField(page, this.root, 'Owner');
    this.save = this.root.getByRole('button', { name: 'Save', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  /** Checks a message is shown at a field: tied to the input as (part of) its description, and marked invalid. */
  async expectFieldError(field: 'name' | 'owner', message: string | RegExp): Promise<void> {
    const input = field === 'name' ? this.name : this.owner.input;
    await expect(this.root.locator(field === 'name' ? '#product-name-error' : '#product-owner-error')).toHaveText(message);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message);
  }
}

/** One user's products, in the panel the Users screen opens for them. */
export class UserProductsPanel {
  readonly root: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly addButton: Locator;
  readonly closeButton: Locator;
  readonly emptyState: Locator;
  readonly addDialog: ProductFormDialog;
  readonly reassignDialog: Locator;
  readonly reassignPicker: OwnerPickerField;
  readonly unassignDialog: Locator;

  constructor(
    readonly page: Page,
    readonly email: string,
  ) {
    this.root = page.getByRole('region', { name: `Products of ${email}`, exact: true });
    this.table = this.root.getByRole('table', { name: `Products of ${email}`, exact: true });
    this.rows = this.table.locator('tbody').getByRole('row');
    this.addButton = this.root.getByRole('button', { name: 'Add product', exact: true });
    this.closeButton = this.root.getByRole('button', { name: `Close the products of ${email}`, exact: true });
    this.emptyState = this.root.getByText(`${email} owns no products.`, { exact: true });
    this.addDialog = new ProductFormDialog(page, 'New product');
    this.reassignDialog = page.getByRole('dialog', { name: 'Reassign product' });
    this.reassignPicker = new OwnerPickerField(page, this.reassignDialog, 'New owner');
    this.unassignDialog = page.getByRole('dialog', { name: 'Unassign product' });
  }

  row(productId: number): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: String(productId), exact: true }) });
  }

  button(action: 'Reassign' | 'Unassign', productId: number): Locator {
    return this.table.getByRole('button', { name: `${action} product #${productId}`, exact: true });
  }

  async waitForList(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
  }
}

/** The products screen as an admin sees it: locators by accessible name, waits on what the page shows. */
export class ProductsScreen {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly newProductButton: Locator;
  readonly search: Locator;
  readonly match: Locator;
  readonly ownerFilter: Locator;
  readonly ownerFilterPicker: OwnerPickerField;
  readonly pager: Locator;
  readonly total: Locator;
  readonly goToMode: Locator;
  readonly goToForm: Locator;
  readonly newProductDialog: ProductFormDialog;
  readonly editProductDialog: ProductFormDialog;
  readonly deleteDialog: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Products', exact: true });
    this.table = page.getByRole('table', { name: 'Products', exact: true });
    this.rows = this.table.locator('tbody').getByRole('row');
    this.newProductButton = page.getByRole('button', { name: 'New product', exact: true });
    this.search = page.getByLabel('Search products', { exact: true });
    this.match = page.getByLabel('Match', { exact: true });
    this.ownerFilter = page.getByLabel('Owner', { exact: true });
    this.ownerFilterPicker = new OwnerPickerField(page, page, 'Owned by');
    this.pager = page.getByRole('navigation', { name: 'Pages, above the table' });
    this.total = this.pager.getByText(/^(about )?[\d,]+ products?$/);
    this.goToForm = page.getByRole('form', { name: 'Go to a product' });
    this.goToMode = this.goToForm.getByLabel('Go to', { exact: true });
    this.newProductDialog = new ProductFormDialog(page, 'New product');
    this.editProductDialog = new ProductFormDialog(page, 'Edit product');
    this.deleteDialog = page.getByRole('dialog', { name: 'Delete product' });
  }

  /** Opens the address browser mode printed (token included), goes to Products, waits for the first page. */
  async open(url = serverAddress().url): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Products', exact: true }).click();
    await this.waitForList();
  }

  async waitForList(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.table).toBeVisible();
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
    await expect(this.total).toBeVisible();
  }

  /** Runs something that reloads the list and waits until the new rows are on screen. */
  async reloadingList(action: () => Promise<unknown>): Promise<void> {
    const answered = this.page.waitForResponse((response) => new URL(response.url()).pathname === '/api/products.list');
    await action();
    await answered;
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
  }

  /** Types a search and waits for its results (the box is debounced). */
  async searchFor(term: string): Promise<void> {
    const answered = this.page.waitForResponse((response) => {
      if (new URL(response.url()).pathname !== '/api/products.list') return false;
      const body = response.request().postDataJSON() as { search?: string } | null;
      return body?.search === term.trim();
    });
    await this.search.fill(term);
    await answered;
    await expect(this.table).not.toHaveAttribute('aria-busy', 'true');
  }

  row(productId: number): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: String(productId), exact: true }) });
  }

  /** A row's cell: 0 id, 1 name, 2 owner, 3 actions. */
  cell(productId: number, column: number): Locator {
    return this.row(productId).getByRole('cell').nth(column);
  }

  ownerButton(productId: number): Locator {
    return this.cell(productId, 2).getByRole('button');
  }

  editButton(productId: number): Locator {
    return this.table.getByRole('button', { name: `Edit product #${productId}`, exact: true });
  }

  deleteButton(productId: number): Locator {
    return this.table.getByRole('button', { name: `Delete product #${productId}`, exact: true });
  }

  pagerButton(name: 'First' | 'Previous' | 'Next' | 'Last'): Locator {
    return this.pager.getByRole('button', { name, exact: true });
  }

  notice(text: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  /** One column's cells on the page shown, top to bottom (for `toHaveText([...])`, which waits). */
  columnCells(column: 'id' | 'name'): Locator {
    return this.table.locator(`tbody tr > td:nth-child(${column === 'id' ? 1 : 2})`);
  }

  async goTo(mode: 'Product ID' | 'Name starting with' | 'Row number or %', value: string): Promise<void> {
    await this.goToMode.selectOption({ label: mode });
    await this.goToForm.getByLabel(mode, { exact: true }).fill(value);
    await this.reloadingList(() => this.goToForm.getByRole('button', { name: 'Go', exact: true }).click());
  }
}
