// The admin in a real browser (Debian's chromium driven by playwright-core), on the real Node
// server and a migrated SQLite database: log in, add a question with three inline choices,
// search, filter, edit, read the history, delete after confirming — and the list on a phone.
// The steps share one page and run in order; screenshots go to test-output/admin/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createSuperuser } from '../../src/auth/index.js';
import { closeDatabases, configureDatabases } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrations/index.js';
import { type BrowserSession, openBrowserSession, serviceSkip } from '../support/services.js';
import { adminProject, Choice, Question } from './fixtures/admin/polls.js';

const skip = await serviceSkip('chromium');
const screenshots = join(import.meta.dirname, '../../test-output/admin');

describe('the admin in a real browser', { skip, timeout: 60_000 }, () => {
  const { app, apps } = adminProject();
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;

  before(async () => {
    configureDatabases({ default: 'sqlite://:memory:' });
    await migrate({ apps, output: () => {} });
    await createSuperuser({
      username: 'admin',
      email: 'admin@example.com',
      password: 'a long passphrase',
    });
    await Question.objects.create({ text: 'Is the shop closed?', isOpen: false });
    mkdirSync(screenshots, { recursive: true });
    session = await openBrowserSession(app, { viewport: { width: 1280, height: 900 } });
    ({ base, page } = session);
  });

  after(async () => {
    await session?.close();
    await closeDatabases();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  /** Clicks and waits for the page it leads to. */
  async function follow(click: Promise<void>, url: RegExp): Promise<void> {
    await Promise.all([page.waitForURL(url), click]);
  }

  it('sends a visitor to the login page and logs the staff member in', async () => {
    await page.goto(`${base}/admin/`);
    assert.match(page.url(), /\/admin\/login\/\?next=%2Fadmin%2F$/);
    await shot('01-login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('a long passphrase');
    await follow(page.getByRole('button', { name: 'Log in' }).click(), /\/admin\/$/);
    assert.equal(await page.locator('h1').textContent(), 'Site administration');
    assert.ok(await page.getByRole('link', { name: 'Questions', exact: true }).isVisible());
  });

  it('adds a question with three inline choices', async () => {
    await follow(page.getByRole('link', { name: 'Add Questions' }).click(), /\/question\/add\/$/);
    await page.locator('#id_text').fill('What is your favourite colour?');
    for (const [index, text] of ['Red', 'Green', 'Blue'].entries()) {
      await page.locator(`#id_choices-${index}-text`).fill(text);
    }
    await shot('02-add-form');
    await follow(
      page.getByRole('button', { name: 'Save and continue editing' }).click(),
      /\/question\/\d+\/change\/$/,
    );
    assert.match(
      (await page.locator('.messages li.success').textContent()) ?? '',
      /The question “What is your favourite colour\?” was added successfully/,
    );
    assert.deepEqual(await Choice.objects.orderBy('id').valuesList('text', { flat: true }), [
      'Red',
      'Green',
      'Blue',
    ]);
    assert.equal(await page.locator('.inline-row.has-original').count(), 3);
    await shot('03-added');
  });

  it('finds it by searching, and by filtering', async () => {
    await page.goto(`${base}/admin/polls/question/`);
    assert.equal(await page.locator('#result_list tbody tr').count(), 2);
    await page.getByRole('searchbox').fill('FAVOURITE');
    await follow(page.getByRole('button', { name: 'Search' }).click(), /\?q=FAVOURITE$/);
    const rows = page.locator('#result_list tbody tr');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.locator('th a').textContent(), 'What is your favourite colour?');
    assert.match((await page.locator('.result-count').textContent()) ?? '', /1 result \(2 total\)/);
    await shot('04-search');

    await page.goto(`${base}/admin/polls/question/`);
    const closed = page.locator('.filters a', { hasText: 'No' });
    assert.equal(await closed.textContent(), 'No (1)');
    await follow(closed.click(), /isOpen__exact=0$/);
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.locator('th a').textContent(), 'Is the shop closed?');
    await follow(page.locator('.filters a', { hasText: 'Yes' }).click(), /isOpen__exact=1$/);
    assert.equal(await rows.locator('th a').textContent(), 'What is your favourite colour?');
    await shot('05-filter');
  });

  it('edits it', async () => {
    await follow(
      page.getByRole('link', { name: 'What is your favourite colour?' }).click(),
      /\/change\/$/,
    );
    await page.locator('#id_text').fill('What is your favourite color?');
    await follow(page.getByRole('button', { name: 'Save', exact: true }).click(), /\/question\/$/);
    assert.match(
      (await page.locator('.messages li.success').textContent()) ?? '',
      /“What is your favourite color\?” was changed successfully/,
    );
  });

  it('shows its history', async () => {
    await follow(
      page.getByRole('link', { name: 'What is your favourite color?' }).click(),
      /\/change\/$/,
    );
    await follow(page.getByRole('link', { name: 'History' }).click(), /\/history\/$/);
    const actions = await page.locator('#change-history td[data-label="Action"]').allTextContents();
    assert.deepEqual(actions, [
      'Added. Added choice “Red”. Added choice “Green”. Added choice “Blue”.',
      'Changed text.',
    ]);
    await shot('06-history');
  });

  it('lays the list out for a phone and ticks every row with one box', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/polls/question/`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await page.locator('#action-toggle').check();
    assert.deepEqual(
      await page
        .locator('input.action-select')
        .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked)),
      [true, true],
    );
    assert.equal(await page.locator('.action-counter').textContent(), '2 of 2 selected');
    await shot('07-phone-list');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('deletes it after a confirmation that lists its choices', async () => {
    await page.goto(`${base}/admin/polls/question/`);
    await follow(
      page.getByRole('link', { name: 'What is your favourite color?' }).click(),
      /\/change\/$/,
    );
    await follow(page.getByRole('link', { name: 'Delete' }).click(), /\/delete\/$/);
    const listed = await page.locator('.deleted-objects li').allTextContents();
    assert.ok(listed.some((text) => text.includes('Choice: Green')));
    assert.match((await page.locator('.summary').textContent()) ?? '', /Choices: 3/);
    await shot('08-delete-confirmation');
    await follow(page.getByRole('button', { name: 'Yes, I’m sure' }).click(), /\/question\/$/);
    assert.match(
      (await page.locator('.messages li.success').textContent()) ?? '',
      /was deleted successfully/,
    );
    assert.equal(await page.locator('#result_list tbody tr').count(), 1);
    assert.equal(await Choice.objects.count(), 0);
    await shot('09-deleted');
  });
});
