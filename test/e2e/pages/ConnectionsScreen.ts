import { expect, type Locator, type Page } from '@playwright/test';
import { serverAddress } from '../support/server';

/** What the form's Server section and name take, as typed. */
export interface ServerFields {
  name?: string;
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  password?: string;
}

/** The "New connection" / "Edit connection" dialog: fields by label, the SSH hops, the test panel. */
export class ProfileFormDialog {
  readonly root: Locator;
  readonly name: Locator;
  readonly host: Locator;
  readonly port: Locator;
  readonly database: Locator;
  readonly user: Locator;
  readonly password: Locator;
  readonly forgetPassword: Locator;
  readonly sslMode: Locator;
  readonly caFile: Locator;
  readonly clientCert: Locator;
  readonly clientKey: Locator;
  readonly useSsh: Locator;
  readonly sshHost: Locator;
  readonly sshPort: Locator;
  readonly sshUser: Locator;
  readonly sshAuth: Locator;
  readonly sshPassword: Locator;
  readonly privateKeyFile: Locator;
  readonly keyPassphrase: Locator;
  readonly useJumpHost: Locator;
  readonly jumpHost: Locator;
  readonly jumpPort: Locator;
  readonly jumpUser: Locator;
  readonly jumpAuth: Locator;
  readonly colourTag: Locator;
  readonly readOnly: Locator;
  /** Only with in-memory secret storage. */
  readonly keepInMemory: Locator;
  readonly secretStorageNote: Locator;
  readonly testButton: Locator;
  readonly cancelTestButton: Locator;
  readonly testPanel: Locator;
  readonly testSteps: Locator;
  /** "Testing: …", "Connection works (1.2 ms).", "The test failed at: …". */
  readonly testStatus: Locator;
  /** Server, Latency, Encryption, Simple DB schema (a description list). */
  readonly testResult: Locator;
  readonly save: Locator;
  readonly cancel: Locator;

  constructor(page: Page, title: 'New connection' | 'Edit connection') {
    this.root = page.getByRole('dialog', { name: title });
    const field = (label: string) => this.root.getByLabel(label, { exact: true });
    this.name = field('Name');
    this.host = field('Host');
    this.port = field('Port');
    this.database = field('Database');
    this.user = field('User');
    this.password = field('Password');
    this.forgetPassword = this.root.getByRole('button', { name: /^(Forget|Keep) saved password$/ });
    this.sslMode = field('SSL mode');
    this.caFile = field('CA certificate file');
    this.clientCert = field('Client certificate file');
    this.clientKey = field('Client key file');
    this.useSsh = field('Connect through an SSH tunnel');
    this.sshHost = field('SSH host');
    this.sshPort = field('SSH port');
    this.sshUser = field('SSH user');
    this.sshAuth = this.root.getByRole('group', { name: 'SSH authentication', exact: true });
    this.sshPassword = field('SSH password');
    this.privateKeyFile = field('Private key file');
    this.keyPassphrase = field('Key passphrase');
    this.useJumpHost = field('Reach the SSH host through a jump host (ssh -J)');
    this.jumpHost = field('Jump host');
    this.jumpPort = field('Jump host port');
    this.jumpUser = field('Jump host user');
    this.jumpAuth = this.root.getByRole('group', { name: 'Jump host authentication', exact: true });
    this.colourTag = this.root.getByRole('group', { name: 'Colour tag', exact: true });
    this.readOnly = this.root.getByLabel(/^Read-only:/);
    this.keepInMemory = field('Keep passwords in memory until Simple DB quits');
    this.secretStorageNote = this.root.locator('.secret-storage');
    this.testButton = this.root.getByRole('button', { name: /^(Test connection|Testing…)$/ });
    this.cancelTestButton = this.root.getByRole('button', { name: 'Cancel test', exact: true });
    this.testPanel = this.root.getByRole('region', { name: 'Connection test', exact: true });
    this.testSteps = this.root.getByRole('list', { name: 'Test steps', exact: true }).getByRole('listitem');
    this.testStatus = this.root.locator('.test-status');
    this.testResult = this.root.getByLabel('Test result', { exact: true });
    this.save = this.root.getByRole('button', { name: 'Save', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  /** A radio of an SSH hop's login: 'Use the SSH agent', 'Use a key file', 'Use a password'. */
  sshAuthChoice(choice: 'Use the SSH agent' | 'Use a key file' | 'Use a password', hop: 'ssh' | 'jump' = 'ssh'): Locator {
    return (hop === 'ssh' ? this.sshAuth : this.jumpAuth).getByLabel(choice, { exact: true });
  }

  colour(name: 'None' | 'Red' | 'Orange' | 'Yellow' | 'Green' | 'Blue' | 'Purple' | 'Grey'): Locator {
    return this.colourTag.getByRole('radio', { name, exact: true });
  }

  /**
   * The error shown at a field, by the server's (or the form's) key: 'name', 'host', 'port',
   * 'ssl.rootCert', 'ssh.privateKeyFile', 'ssh.jump.host', 'secrets.password', 'keepSecretsInMemory'…
   * The input is `#conn-<key with dots as dashes>-input`, its error `…-error`.
   */
  fieldError(key: string): Locator {
    return this.root.locator(`#conn-${key.replace(/\./g, '-')}-error`);
  }

  fieldInput(key: string): Locator {
    return this.root.locator(`#conn-${key.replace(/\./g, '-')}-input`);
  }

  async expectFieldError(key: string, message: string | RegExp): Promise<void> {
    await expect(this.fieldError(key)).toHaveText(message);
    await expect(this.fieldInput(key)).toHaveAttribute('aria-invalid', 'true');
  }

  /** One step of the test's checklist by its words ("Logging in as …"); its class says ok / failed / running. */
  testStep(text: string | RegExp): Locator {
    return this.testSteps.filter({ hasText: text });
  }

  async fillServer(values: ServerFields): Promise<void> {
    if (values.name !== undefined) await this.name.fill(values.name);
    if (values.host !== undefined) await this.host.fill(values.host);
    if (values.port !== undefined) await this.port.fill(values.port);
    if (values.database !== undefined) await this.database.fill(values.database);
    if (values.user !== undefined) await this.user.fill(values.user);
    if (values.password !== undefined) await this.password.fill(values.password);
  }

  /** Runs "Test connection" and waits for its outcome line. */
  async runTest(): Promise<void> {
    await this.testButton.click();
    await expect(this.testStatus).toHaveText(/^(Connection works|The test failed|Test cancelled|The test could not start)/, { timeout: 30_000 });
  }
}

/** "Unknown SSH host" (first time) or "SSH host key changed" (refused until the host name is typed). */
export class HostKeyDialog {
  readonly unknown: Locator;
  readonly changed: Locator;
  readonly trust: Locator;
  readonly confirmHost: Locator;
  readonly trustNewKey: Locator;

  constructor(page: Page) {
    this.unknown = page.getByRole('dialog', { name: 'Unknown SSH host' });
    this.changed = page.getByRole('dialog', { name: 'SSH host key changed' });
    this.trust = this.unknown.getByRole('button', { name: 'Trust and connect', exact: true });
    this.confirmHost = this.changed.getByLabel('Type the host name to trust the new key', { exact: true });
    this.trustNewKey = this.changed.getByRole('button', { name: 'I replaced the server — trust the new key', exact: true });
  }
}

/** "Password needed": asked when no password is saved (nor in ~/.pgpass). */
export class PasswordPrompt {
  readonly root: Locator;
  readonly connect: Locator;
  readonly cancel: Locator;
  readonly remember: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Password needed' });
    this.connect = this.root.getByRole('button', { name: 'Connect', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
    this.remember = this.root.getByLabel(/^Remember it/);
  }

  /** The field, labelled by the secret asked for: 'Password', 'SSH password', 'Key passphrase'… */
  field(label = 'Password'): Locator {
    return this.root.getByLabel(label, { exact: true });
  }

  error(): Locator {
    return this.root.locator('#prompt-password-error');
  }
}

/** "Import connections": a URL (opens the form filled in), a pg_service.conf or a pgAdmin servers.json. */
export class ImportDialog {
  readonly root: Locator;
  readonly fromUrl: Locator;
  readonly fromServiceFile: Locator;
  readonly fromPgAdmin: Locator;
  readonly url: Locator;
  /** The file input (`setInputFiles`): "servers.json file" or "Service file (optional)". */
  readonly file: Locator;
  readonly openInForm: Locator;
  readonly read: Locator;
  /** "Save 1 connection" / "Save 3 connections". */
  readonly saveChosen: Locator;
  readonly found: Locator;
  readonly skipped: Locator;
  readonly keepInMemory: Locator;
  readonly cancel: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Import connections' });
    this.fromUrl = this.root.getByLabel('A connection URL', { exact: true });
    this.fromServiceFile = this.root.getByLabel('A PostgreSQL service file (~/.pg_service.conf)', { exact: true });
    this.fromPgAdmin = this.root.getByLabel('A pgAdmin servers.json export', { exact: true });
    this.url = this.root.getByLabel('Connection URL', { exact: true });
    this.file = this.root.locator('#import-file-input');
    this.openInForm = this.root.getByRole('button', { name: 'Open in form', exact: true });
    this.read = this.root.getByRole('button', { name: 'Read connections', exact: true });
    this.saveChosen = this.root.getByRole('button', { name: /^Save \d+ connections?$/ });
    this.found = this.root.getByRole('group', { name: /^Connections found/ });
    this.skipped = this.root.getByRole('region', { name: /^Skipped/ });
    this.keepInMemory = this.root.getByLabel('Keep passwords in memory until Simple DB quits', { exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  /** A found connection's checkbox, by its name. */
  draft(name: string): Locator {
    return this.found.getByRole('checkbox', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
  }
}

/** The migrations panel of the window's connection, on the Connections screen. */
export class MigrationsPanel {
  readonly root: Locator;
  readonly pending: Locator;
  readonly applied: Locator;
  readonly apply: Locator;
  readonly rollBack: Locator;
  readonly rollBackDialog: Locator;
  readonly confirmDatabase: Locator;
  readonly confirmRollBack: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('region', { name: /^Migrations on / });
    this.pending = this.root.getByRole('list', { name: 'Pending migrations' }).getByRole('listitem');
    this.applied = this.root.getByRole('list', { name: 'Applied migrations' }).getByRole('listitem');
    this.apply = this.root.getByRole('button', { name: 'Apply pending migrations', exact: true });
    this.rollBack = this.root.getByRole('button', { name: 'Roll back newest migration', exact: true });
    this.rollBackDialog = page.getByRole('dialog', { name: 'Roll back migration' });
    this.confirmDatabase = this.rollBackDialog.getByLabel('Database name to confirm', { exact: true });
    this.confirmRollBack = this.rollBackDialog.getByRole('button', { name: 'Roll back', exact: true });
  }
}

/** The top of the sidebar: the window's connection, and the list of open ones to switch to. */
export class ConnectionSwitcher {
  readonly root: Locator;
  readonly toggle: Locator;
  readonly openConnections: Locator;
  readonly manage: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('region', { name: 'Current connection', exact: true });
    this.toggle = this.root.getByRole('button', { name: 'Switch connection', exact: true });
    this.openConnections = this.root.getByRole('list', { name: 'Open connections' });
    this.manage = this.root.getByRole('button', { name: 'Manage connections', exact: true });
  }

  /** Opens the list of open connections (if it is not open already). */
  async openList(): Promise<void> {
    if ((await this.toggle.getAttribute('aria-expanded')) !== 'true') await this.toggle.click();
    await expect(this.toggle).toHaveAttribute('aria-expanded', 'true');
  }

  /** An open connection in the list, by its name (aria-current on the window's own). */
  item(name: string): Locator {
    return this.openConnections.getByRole('button', { name, exact: true });
  }

  async switchTo(name: string): Promise<void> {
    await this.openList();
    await this.item(name).click();
  }
}

/** The Connections screen: every connection with its state and actions, the form, import, the offers. */
export class ConnectionsScreen {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly newConnection: Locator;
  readonly importButton: Locator;
  readonly newForm: ProfileFormDialog;
  readonly editForm: ProfileFormDialog;
  readonly deleteDialog: Locator;
  readonly createDatabaseDialog: Locator;
  readonly hostKey: HostKeyDialog;
  readonly passwordPrompt: PasswordPrompt;
  readonly importDialog: ImportDialog;
  readonly migrations: MigrationsPanel;
  readonly switcher: ConnectionSwitcher;
  readonly statusBar: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Connections', exact: true });
    this.table = page.getByRole('table', { name: 'Connections' });
    this.rows = this.table.locator('tbody').getByRole('row');
    this.newConnection = page.getByRole('button', { name: 'New connection', exact: true });
    this.importButton = page.getByRole('button', { name: 'Import connections', exact: true });
    this.newForm = new ProfileFormDialog(page, 'New connection');
    this.editForm = new ProfileFormDialog(page, 'Edit connection');
    this.deleteDialog = page.getByRole('dialog', { name: 'Delete connection' });
    this.createDatabaseDialog = page.getByRole('dialog', { name: /^Create database .+\?$/ });
    this.hostKey = new HostKeyDialog(page);
    this.passwordPrompt = new PasswordPrompt(page);
    this.importDialog = new ImportDialog(page);
    this.migrations = new MigrationsPanel(page);
    this.switcher = new ConnectionSwitcher(page);
    this.statusBar = page.getByRole('contentinfo', { name: 'Database status' });
  }

  /** Opens browser mode and goes to the Connections screen. */
  async open(url = serverAddress().url): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connections', exact: true }).click();
    await expect(this.heading).toBeVisible();
    await expect(this.table).toBeVisible();
  }

  /** A connection's row, by its name. */
  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** A row action: Connect / Switch to / Disconnect / Edit / Duplicate / Delete, named "<action> <connection name>". */
  action(action: 'Connect' | 'Switch to' | 'Disconnect' | 'Edit' | 'Duplicate' | 'Delete', name: string): Locator {
    return this.table.getByRole('button', { name: `${action} ${name}`, exact: true });
  }

  /**
   * Fills "New connection" with a direct profile (no SSH), its password kept in memory (browser
   * mode has no OS secret store), and saves it; waits for the screen to say it is saved.
   */
  async createProfile(values: ServerFields & { name: string; sslMode?: string; readOnly?: boolean }): Promise<void> {
    await this.newConnection.click();
    const form = this.newForm;
    await expect(form.root).toBeVisible();
    await form.fillServer(values);
    if (values.sslMode) await form.sslMode.selectOption(values.sslMode);
    if (values.readOnly) await form.readOnly.check();
    if (values.password) await form.keepInMemory.check();
    await form.save.click();
    await expect(form.root).toBeHidden();
    await expect(this.notice(`Saved ${values.name}. Connect to open it.`)).toBeVisible();
  }

  /** Connect on a closed connection's row; waits until the window shows it. */
  async connect(name: string): Promise<void> {
    await this.action('Connect', name).click();
    await expect(this.notice(`Connected to ${name}. This window now shows it.`)).toBeVisible({ timeout: 30_000 });
  }

  /** A connection's State cell ("Open", "Closed", "Lost", with the reason under it). */
  state(name: string): Locator {
    return this.row(name).locator('td.col-conn-state');
  }

  /** What the screen just said ("Connected to …", "Saved …", "Could not connect to …: …"). */
  notice(text: string | RegExp): Locator {
    return this.page
      .getByRole('status')
      .filter({ hasText: text })
      .or(this.page.getByRole('alert').filter({ hasText: text }));
  }
}
