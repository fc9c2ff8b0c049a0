import { expect, test } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { UsersScreen } from './pages/UsersScreen';
import { serverAddress } from './support/server';

test.describe('browser mode', () => {
  test('opens from the printed address, removes the token from the address bar, and still works after a reload', async ({ page }) => {
    const { url, origin, token } = serverAddress();
    const screen = new UsersScreen(page);

    await screen.open(url);
    // The tab names the database it works on.
    await expect(page).toHaveTitle(/^Embedded PostgreSQL 15(\.\d+)* — Simple DB$/);
    expect(page.url()).toBe(`${origin}/`);
    expect(page.url()).not.toContain(token);

    await page.reload();
    await screen.waitForList();
    expect(page.url()).not.toContain('token');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(screen.statusBar).toContainText('Schema up to date');
  });

  test('the status bar shows the embedded PostgreSQL 15 and a schema that is up to date', async ({ page }) => {
    const screen = new UsersScreen(page);
    await screen.open();

    await expect(screen.statusBar).toContainText(/Embedded PostgreSQL 15(\.\d+)*/);
    await expect(screen.statusBar).toContainText('Schema up to date');
    await expect(page.getByRole('heading', { name: /pending$/ })).toHaveCount(0);
  });

  const tokenHelp = 'Open the address printed by npm start (it ends with ?token=…).';

  test('without the token the page says what to open instead', async ({ page }) => {
    // A fresh browser context: no token in the address and none kept from an earlier visit.
    await page.goto(`${serverAddress().origin}/`);

    const alert = page.getByRole('alert');
    await expect(alert).toContainText(tokenHelp);
    await expect(alert.locator('code')).toHaveText('npm start');
    await expect(page.getByText('Cannot reach the database')).toHaveCount(0);
    await expect(page.getByRole('contentinfo', { name: 'Database status' })).toHaveText('Not connected');
    await expect(page.getByRole('table', { name: 'Users' })).toHaveCount(0);
    await expect(page).toHaveTitle('Simple DB');
  });

  test('a wrong token says the same, not that the database is unreachable', async ({ page }) => {
    await page.goto(`${serverAddress().origin}/?token=not-the-token`);

    await expect(page.getByRole('alert')).toContainText(tokenHelp);
    await expect(page.getByText('Cannot reach the database')).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Users' })).toHaveCount(0);
    // The wrong token left the address bar all the same.
    expect(page.url()).not.toContain('not-the-token');
  });

  test("a reply that is not Simple DB's (a proxy's error page) is told apart from no reply at all", async ({ page }) => {
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the database' });

    // Something in between answers with its own HTML page.
    await page.route('**/api/app.info', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }), {
      times: 1,
    });
    await page.goto(serverAddress().url);
    await expect(alert).toContainText('Simple DB answered with an unexpected reply (HTTP 502). Reload the page; if it persists, restart Simple DB.');

    // Nothing answers at all.
    await page.route('**/api/app.info', (route) => route.abort('connectionrefused'), { times: 1 });
    await alert.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(alert).toContainText('Simple DB is not answering.');

    // The real server again: Retry recovers.
    await alert.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(alert).toHaveCount(0);
    await expect(page.getByRole('contentinfo', { name: 'Database status' })).toContainText('Schema up to date');
  });

  test('an answer the window cannot read is an error it shows, with Retry, not a blank page', async ({ page }) => {
    const screen = new UsersScreen(page);
    // A users.list reply that is JSON and says ok, but not in the contract's shape.
    await page.route(
      '**/api/users.list',
      (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, data: { rows: null } }) }),
      {
        times: 1,
      },
    );
    await page.goto(serverAddress().url);

    const alert = page.getByRole('alert').filter({ hasText: 'Could not load users' });
    await expect(alert).toContainText('Simple DB answered users.list with data this window cannot read.');
    await expect(screen.heading).toBeVisible();
    await expect(screen.statusBar).toContainText('Schema up to date');

    await screen.reloadingList(() => alert.getByRole('button', { name: 'Retry', exact: true }).click());
    await expect(alert).toHaveCount(0);
    await expect(screen.total).toBeVisible();
  });

  test('the event stream: heartbeats and events that do not fit the contract are ignored, and a stream that ends is reopened', async ({ page }) => {
    const now = new Date().toISOString();
    const job = (id: string, title: string) => ({
      id,
      kind: 'users.count',
      title,
      connectionId: 'e2e',
      state: 'succeeded',
      progress: null,
      startedAt: now,
      finishedAt: now,
      summary: '7 users match “stream”.',
      result: { count: 7, search: 'stream' },
      error: null,
    });
    const body = [
      ': heartbeat',
      `data: ${JSON.stringify({ type: 'jobs.snapshot', jobs: [job('e2e-stream-1', 'A job from the stream')] })}`,
      'data: {not json',
      `data: ${JSON.stringify({ type: 'job.finished', job: { ...job('e2e-stream-2', 'A job with no state'), state: 'exploded' } })}`,
      `data: ${JSON.stringify({ type: 'no.such.event' })}`,
      '',
    ].join('\n\n');
    let streams = 0;
    const { token } = serverAddress();
    const leaks: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname !== '/events') return;
      streams++;
      // The token travels in the Authorization header only, never in the address.
      if (request.url().includes(token) || request.headers().authorization !== `Bearer ${token}`) leaks.push(request.url());
    });
    // The first stream is ours and ends at once; the page must open the next one itself.
    await page.route('**/events', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body }), { times: 1 });

    const screen = new UsersScreen(page);
    const shell = new AppShell(page);
    await screen.open();
    await expect.poll(() => streams).toBeGreaterThanOrEqual(2);

    const panel = await shell.openJobs();
    await expect(panel.job('A job from the stream')).toContainText('7 users match “stream”.');
    await expect(panel.job('A job with no state')).toHaveCount(0);
    expect(leaks).toEqual([]);
  });
});
