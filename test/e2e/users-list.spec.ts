import { expect, test, type Locator } from '@playwright/test';
import { UsersScreen } from './pages/UsersScreen';
import { countUsers, createUser, uniqueTag } from './support/server';

test.describe('finding users', () => {
  test('searching by part of an email or of a name narrows the table; no match says so', async ({ page, request }) => {
    const tag = uniqueTag();
    const nameTag = uniqueTag();
    const grace = await createUser(request, `grace.${tag}@example.com`, `Grace Hopper ${nameTag}`);
    const alan = await createUser(request, `alan.${tag}@example.com`, `Alan Turing ${nameTag}`);
    const edsger = await createUser(request, `edsger.${tag}@example.org`, `Edsger Dijkstra ${nameTag}`);
    const screen = new UsersScreen(page);
    await screen.open();

    // Part of one email.
    await screen.searchFor(`grace.${tag}`);
    expect(await screen.columnTexts('email')).toEqual([grace.email]);
    await screen.expectTotal(1);

    // The part two emails share (and a different case).
    await screen.searchFor(`${tag.toUpperCase()}@EXAMPLE.COM`);
    expect(await screen.columnTexts('email')).toEqual([grace.email, alan.email]);
    await screen.expectTotal(2);

    // Part of a name, in any case; the names' tag is in no email.
    await screen.searchFor(`turing ${nameTag}`);
    expect(await screen.columnTexts('email')).toEqual([alan.email]);
    await screen.searchFor(nameTag);
    expect(await screen.columnTexts('name')).toEqual([grace.name, alan.name, edsger.name]);
    await screen.expectTotal(3);

    // Nothing matches.
    const nothing = `nobody-${uniqueTag()}`;
    await screen.searchFor(nothing);
    await expect(screen.rows).toHaveCount(0);
    await expect(page.getByText(`No users match “${nothing}”.`, { exact: true })).toBeVisible();
    await screen.expectTotal(0);

    // Clearing the search lists everyone again.
    await screen.searchFor('');
    await expect(screen.emptyState).toBeHidden();
    await screen.expectTotal(await countUsers(request));
  });
});

test.describe('paging and sorting', () => {
  const SEEDED = 60;

  test('Next and Previous walk every page with no row repeated or missing; page size and sort change the list', async ({ page, request }) => {
    const tag = uniqueTag();
    // Emails are numbered out of creation order, so sorting by email differs from sorting by id.
    const seeded: string[] = [];
    for (let i = 0; i < SEEDED; i++) {
      const number = String((i * 37) % SEEDED).padStart(2, '0');
      const user = await createUser(request, `page-${tag}-${number}@example.com`, `Paging ${tag} ${number}`);
      seeded.push(user.email);
    }
    const byEmail = [...seeded].sort();

    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await screen.expectTotal(SEEDED);
    await expect(screen.pageSize).toHaveValue('25');
    await expect(screen.columnHeader('ID')).toHaveAttribute('aria-sort', 'ascending');

    // Forward through every page (sorted by id: creation order).
    const pages: string[][] = [];
    // Above the table the total stands beside the range ("60 users"); below it the range says it.
    const ranges = ['Rows 1–25', 'Rows 26–50', 'Rows 51–60'];
    await expect(screen.rowsLabel).toHaveText(ranges[0]!);
    await expect(screen.previousButton).toBeDisabled();
    await expect(screen.firstButton).toBeDisabled();
    pages.push(await screen.columnTexts('email'));
    const widths = await screen.columnWidths();
    // The table uses the window's width.
    const tableBox = await screen.table.boundingBox();
    expect(tableBox!.width).toBeGreaterThan(page.viewportSize()!.width * 0.7);
    for (const expected of [2, 3]) {
      await expect(screen.nextButton).toBeEnabled();
      await screen.reloadingList(() => screen.nextButton.click());
      await expect(screen.rowsLabel).toHaveText(ranges[expected - 1]!);
      pages.push(await screen.columnTexts('email'));
      // Columns keep their widths from page to page, whatever the rows hold.
      expect(await screen.columnWidths()).toEqual(widths);
    }
    await expect(screen.nextButton).toBeDisabled();
    await expect(screen.lastButton).toBeDisabled();
    // The pager below the table says and does the same.
    const bottomPrevious = screen.bottomPager.getByRole('button', { name: 'Previous', exact: true });
    await expect(screen.rangeLabel(`${ranges[2]!} of 60`, true)).toBeVisible();
    await expect(screen.bottomPager.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await screen.reloadingList(() => bottomPrevious.click());
    await expect(screen.rowsLabel).toHaveText(ranges[1]!);
    await expect(screen.rangeLabel(`${ranges[1]!} of 60`, true)).toBeVisible();
    await expect(screen.rangeLabel(ranges[1]!)).toBeVisible();
    expect(await screen.columnTexts('email')).toEqual(pages[1]);
    await screen.reloadingList(() => screen.bottomPager.getByRole('button', { name: 'Next', exact: true }).click());
    await expect(screen.rowsLabel).toHaveText(ranges[2]!);
    expect(pages.map((rows) => rows.length)).toEqual([25, 25, 10]);
    const walked = pages.flat();
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toEqual(seeded);

    // And back again: the same pages.
    await screen.reloadingList(() => screen.previousButton.click());
    await expect(screen.rowsLabel).toHaveText(ranges[1]!);
    expect(await screen.columnTexts('email')).toEqual(pages[1]);
    await screen.reloadingList(() => screen.previousButton.click());
    await expect(screen.rowsLabel).toHaveText(ranges[0]!);
    expect(await screen.columnTexts('email')).toEqual(pages[0]);
    await expect(screen.previousButton).toBeDisabled();

    // Last, then First: each one request, whatever the length of the list. From the keyboard, Enter
    // on Last leaves focus on Last (now unavailable, not disabled), never on the page's body.
    await screen.lastButton.focus();
    await screen.reloadingList(() => screen.page.keyboard.press('Enter'));
    await expect(screen.rowsLabel).toHaveText('Rows 36–60');
    await expect(screen.lastButton).toBeFocused();
    await expect(screen.lastButton).toHaveAttribute('aria-disabled', 'true');
    await screen.page.keyboard.press('Enter');
    await expect(screen.rowsLabel).toHaveText('Rows 36–60');
    await expect(screen.lastButton).toBeFocused();
    expect(await screen.columnTexts('email')).toEqual(seeded.slice(35));
    await expect(screen.nextButton).toBeDisabled();
    await screen.reloadingList(() => screen.previousButton.click());
    await expect(screen.rowsLabel).toHaveText('Rows 11–35');
    expect(await screen.columnTexts('email')).toEqual(seeded.slice(10, 35));
    await screen.reloadingList(() => screen.firstButton.click());
    await expect(screen.rowsLabel).toHaveText(ranges[0]!);
    expect(await screen.columnTexts('email')).toEqual(pages[0]);

    // 50 rows per page: two pages.
    await screen.reloadingList(() => screen.pageSize.selectOption('50').then(() => undefined));
    await expect(screen.rows).toHaveCount(50);
    expect(await screen.columnTexts('email')).toEqual(seeded.slice(0, 50));
    await screen.reloadingList(() => screen.nextButton.click());
    await expect(screen.rowsLabel).toHaveText('Rows 51–60');
    expect(await screen.columnTexts('email')).toEqual(seeded.slice(50));
    await expect(screen.nextButton).toBeDisabled();

    // 100 rows per page: one page, back at page 1.
    await screen.reloadingList(() => screen.pageSize.selectOption('100').then(() => undefined));
    await expect(screen.rowsLabel).toHaveText('Rows 1–60');
    await expect(screen.rows).toHaveCount(SEEDED);
    expect(await screen.columnTexts('email')).toEqual(seeded);
    await expect(screen.nextButton).toBeDisabled();
    await expect(screen.previousButton).toBeDisabled();

    // Scrolled to the last row, the column headers are still in view at the top.
    await screen.rows.last().scrollIntoViewIfNeeded();
    await expect(screen.rows.first()).not.toBeInViewport();
    await expect(screen.columnHeader('Email')).toBeInViewport();
    await expect(screen.sortButton('Email')).toBeVisible();

    // Sort by email: ascending, then (clicked again) descending.
    await screen.reloadingList(() => screen.sortButton('Email').click());
    await expect(screen.columnHeader('Email')).toHaveAttribute('aria-sort', 'ascending');
    expect(await screen.columnTexts('email')).toEqual(byEmail);
    await screen.reloadingList(() => screen.sortButton('Email').click());
    await expect(screen.columnHeader('Email')).toHaveAttribute('aria-sort', 'descending');
    expect(await screen.columnTexts('email')).toEqual([...byEmail].reverse());

    // Descending by email, 25 a page: the walk still covers everyone exactly once.
    await screen.reloadingList(() => screen.pageSize.selectOption('25').then(() => undefined));
    await expect(screen.columnHeader('Email')).toHaveAttribute('aria-sort', 'descending');
    const descending: string[] = [...(await screen.columnTexts('email'))];
    for (let pageNumber = 2; pageNumber <= 3; pageNumber++) {
      await screen.reloadingList(() => screen.nextButton.click());
      await expect(screen.rowsLabel).toHaveText(ranges[pageNumber - 1]!);
      descending.push(...(await screen.columnTexts('email')));
    }
    await expect(screen.nextButton).toBeDisabled();
    expect(descending).toEqual([...byEmail].reverse());
  });
});

/** Whether an element's text is wider than the element shows (cut off). */
function overflowing(element: Locator): Promise<boolean> {
  return element.evaluate((node: { scrollWidth: number; clientWidth: number }) => node.scrollWidth > node.clientWidth);
}

test.describe('long values', () => {
  test('a long email stays on one line with an ellipsis; hovering or focusing it shows all of it', async ({ page, request }) => {
    const tag = uniqueTag();
    const email = `a-rather-long-mailbox-name-for-testing-${tag}@${'department-of-long-names.'.repeat(3)}example.com`;
    const user = await createUser(request, email, `Long ${tag}`);
    const short = await createUser(request, `short-${tag}@example.com`, `Short ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(2);

    const text = screen.row(user.email).getByRole('cell').nth(2).getByText(user.email, { exact: true });
    // Hover: the whole address as the tooltip.
    await expect(text).toHaveAttribute('title', user.email);
    // Shown on one line, cut with an ellipsis (not wrapped mid-word): as tall as a short one.
    await expect(text).toHaveCSS('text-overflow', 'ellipsis');
    await expect(text).toHaveCSS('white-space', 'nowrap');
    expect(await overflowing(text)).toBe(true);
    const longBox = await text.boundingBox();
    const shortBox = await screen.row(short.email).getByText(short.email, { exact: true }).boundingBox();
    expect(longBox!.height).toBe(shortBox!.height);

    // Keyboard focus shows all of it, over its neighbours.
    await text.focus();
    await expect(text).toBeFocused();
    expect(await overflowing(text)).toBe(false);
    const widened = await text.boundingBox();
    const cell = await screen.row(user.email).getByRole('cell').nth(2).boundingBox();
    expect(widened!.width).toBeGreaterThan(cell!.width);
  });
});

test.describe('a narrow window', () => {
  test('at 800 pixels the email and name columns stay readable, and the page scrolls sideways to the actions', async ({ page, request }) => {
    await page.setViewportSize({ width: 800, height: 600 });
    const tag = uniqueTag();
    const user = await createUser(request, `narrow-window-${tag}@example.com`, `Narrow ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();
    await screen.searchFor(tag);
    await expect(screen.rows).toHaveCount(1);
    for (const label of ['Email', 'Name'] as const) {
      const box = await screen.columnHeader(label).boundingBox();
      expect(box!.width, label).toBeGreaterThan(150);
    }
    const remove = screen.row(user.email).getByRole('button', { name: /Delete/ });
    await remove.scrollIntoViewIfNeeded();
    await expect(remove).toBeInViewport();
  });
});

test.describe('past the end', () => {
  test('Go to past the last user says so and leads back to the first page; an id too big is refused in words', async ({ page, request }) => {
    const tag = uniqueTag();
    await createUser(request, `end-${tag}@example.com`, `End ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();

    // Beyond the last id: the table is not empty, only this point of it.
    await screen.reloadingList(() => screen.goTo.goTo('ID at or after', '2,000,000,000'));
    await expect(screen.rows).toHaveCount(0);
    await expect(page.getByText('No users at or after this point.', { exact: true })).toBeVisible();
    await expect(page.getByText(/No users yet/)).toHaveCount(0);
    await screen.reloadingList(() => page.getByRole('button', { name: 'Go to the first page', exact: true }).click());
    await expect(screen.rowsLabel).toHaveText(/^Rows 1–/);
    await expect(page.getByText('No users at or after this point.', { exact: true })).toBeHidden();

    // An id no column can hold: refused at the field, in the admin's terms, before any request; an
    // alert, since focus is already in the field when Enter is pressed there.
    await screen.goTo.goTo('User ID', '99999999999');
    await expect(screen.goTo.root.getByRole('alert')).toHaveText('A user id is between 1 and 2,147,483,647.');
    await expect(screen.goTo.value()).toHaveAttribute('aria-invalid', 'true');
    await expect(screen.goTo.value()).toHaveAccessibleDescription('A user id is between 1 and 2,147,483,647.');

    // "Loading users…" is said in a status region that stays in the page between loads.
    await expect(screen.pager.getByRole('status')).toHaveText('');
  });
});

test.describe('match modes and filters', () => {
  test('the search matches by id, whole email or domain; filters narrow by id and creation day, each error at its field', async ({
    page,
    request,
  }) => {
    const tag = uniqueTag();
    const domain = `${tag}.example`;
    const ann = await createUser(request, `ann@${domain}`, `Ann ${tag}`);
    const bob = await createUser(request, `bob@${domain}`, `Bob ${tag}`);
    const cy = await createUser(request, `cy-${tag}@example.com`, `Cy ${tag}`);
    const screen = new UsersScreen(page);
    await screen.open();

    // Every email at a domain ("@" or not).
    await screen.match.selectOption({ label: 'Email domain' });
    await screen.searchFor(`@${domain}`);
    expect(await screen.columnTexts('email')).toEqual([ann.email, bob.email]);
    await screen.expectTotal(2);

    // One whole email.
    await screen.match.selectOption({ label: 'Exact email' });
    await screen.searchFor(bob.email);
    expect(await screen.columnTexts('email')).toEqual([bob.email]);

    // An id.
    await screen.match.selectOption({ label: 'ID' });
    await screen.searchFor(String(cy.id));
    expect(await screen.columnTexts('email')).toEqual([cy.email]);
    await screen.expectTotal(1);

    // An id as an admin may write it: "#" and thousands separators are fine.
    await screen.reloadingList(() => screen.search.fill(`#${cy.id.toLocaleString('en-US')}`));
    expect(await screen.columnTexts('email')).toEqual([cy.email]);
    await screen.reloadingList(() => screen.search.fill('2,000,000,000'));
    await expect(page.getByText('No user has id 2,000,000,000.', { exact: true })).toBeVisible();
    // Not an id: said once, at the box (no "Could not load users" with a Retry that cannot help).
    await screen.reloadingList(() => screen.search.fill('abc'));
    await expect(screen.search).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#users-search-error')).toBeVisible();
    // It lands after the debounce, while the admin types: inside a live region that was already there.
    await expect(page.locator('[aria-live="polite"]').filter({ has: page.locator('#users-search-error') })).toHaveCount(1);
    await expect(page.getByRole('alert').filter({ hasText: 'Could not load users' })).toHaveCount(0);

    // Back to "contains", then filters on top of it.
    await screen.match.selectOption({ label: 'Contains' });
    await screen.searchFor(tag);
    await screen.expectTotal(3);
    const { filters } = screen;
    await filters.open();

    // Wrong values are refused at their field, before any request, saying what to type.
    await filters.idFrom.fill('abc');
    await filters.createdFrom.fill('2030-01-02');
    await filters.createdTo.fill('2030-01-01');
    await filters.apply.click();
    await filters.expectFieldError(filters.idFrom, 'Type a whole number, e.g. 1000, or leave it empty.');
    await expect(filters.idFrom).toBeFocused();
    await filters.idFrom.fill(String(ann.id));
    await filters.apply.click();
    // (Its hint, that the whole day counts, is part of its description too.)
    await filters.expectFieldError(filters.createdTo, /^The “created from” day is after the “created to” day/);
    await filters.createdFrom.fill('');
    await filters.createdTo.fill('');
    // A day that does not exist, typed into the date field (which then reports no value at all).
    await filters.createdFrom.click();
    await page.keyboard.type('02302023');
    await filters.apply.click();
    await filters.expectFieldError(filters.createdFrom, 'Enter a real date (day, month and year) or clear it.');
    await filters.createdFrom.fill('');

    // Ids from Ann's to Bob's: two of the three; "2 filters on", and Clear takes them off. Enter
    // applies, and focus stays in the field (the panel is not rebuilt under it).
    await filters.idTo.fill(String(bob.id));
    await screen.reloadingList(() => filters.idTo.press('Enter'));
    await expect(filters.idTo).toBeFocused();
    expect(await screen.columnTexts('email')).toEqual([ann.email, bob.email]);
    await screen.expectTotal(2);
    await expect(filters.on).toHaveText('2 filters on');

    // A change of Match keeps what is typed in the panel and not applied yet.
    await filters.products.selectOption({ label: 'Owns some' });
    await screen.reloadingList(async () => {
      await screen.match.selectOption({ label: 'Email domain' });
    });
    await expect(filters.products).toHaveValue('some');
    await screen.reloadingList(async () => {
      await screen.match.selectOption({ label: 'Contains' });
    });

    // Owning products: nobody here does.
    await screen.reloadingList(() => filters.apply.click());
    await expect(filters.on).toHaveText('3 filters on');
    await expect(page.getByText(`No users match “${tag}” with these filters.`, { exact: true })).toBeVisible();

    await screen.reloadingList(() => filters.clear.click());
    await expect(filters.on).toBeHidden();
    // Clear went with the filters: focus moves to the Filters toggle, not to the page.
    await expect(filters.toggle).toBeFocused();
    await screen.expectTotal(3);
    await expect(filters.idFrom).toHaveValue('');
  });
});
