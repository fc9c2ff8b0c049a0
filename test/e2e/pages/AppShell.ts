import { expect, type Locator, type Page } from '@playwright/test';

/** The jobs panel the sidebar's Jobs button opens. */
export class JobsPanel {
  readonly root: Locator;
  readonly close: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('region', { name: 'Jobs', exact: true });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
  }

  /** One job, by its title ("Count users matching …"). */
  job(title: string | RegExp): Locator {
    return this.root.getByRole('listitem', { name: title });
  }

  progressBar(job: Locator): Locator {
    return job.getByRole('progressbar');
  }

  cancelButton(job: Locator): Locator {
    return job.getByRole('button', { name: /^Cancel / });
  }
}

/** What surrounds every screen: the sidebar (navigation, jobs, theme), the status bar, the toasts. */
export class AppShell {
  readonly nav: Locator;
  readonly jobsButton: Locator;
  readonly jobsPanel: JobsPanel;
  readonly theme: Locator;
  readonly statusBar: Locator;
  readonly toasts: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.jobsButton = page.getByRole('button', { name: /^Jobs( \(\d+ running\))?$/ });
    this.jobsPanel = new JobsPanel(page);
    this.theme = page.getByLabel('Theme', { exact: true });
    this.statusBar = page.getByRole('contentinfo', { name: 'Database status' });
    this.toasts = page.getByRole('region', { name: 'Notifications' });
  }

  navItem(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.nav.getByRole('button', { name, ...options });
  }

  async openJobs(): Promise<JobsPanel> {
    if ((await this.jobsButton.getAttribute('aria-expanded')) !== 'true') await this.jobsButton.click();
    await expect(this.jobsPanel.root).toBeVisible();
    return this.jobsPanel;
  }

  /** The page's background colour as drawn (the body's computed style). */
  async backgroundColor(): Promise<string> {
    return String(await this.page.evaluate('getComputedStyle(document.body).backgroundColor'));
  }
}
