// Autocomplete fields in a real browser (Debian's chromium driven by playwright-core): admin.js
// turns a many-to-many's key input into a search box and a list of chosen rows with Remove
// buttons, and a foreign key's into a search box that fills the key; the saved rows are the ones
// picked. Without JavaScript the keys are typed into the input. Screenshots go to
// test-output/admin/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  adminApp,
  autocompleteSite,
  Category,
  makeUser,
  migrateAdmin,
  password,
  Question,
  Tag,
} from '../../src/admin/test-support/app.js';
import { closeDatabases, configureDatabases } from '../../src/db/index.js';
import { type BrowserSession, openBrowserSession, serviceSkip } from '../support/services.js';

const skip = await serviceSkip('chromium');
const screenshots = join(import.meta.dirname, '../../test-output/admin');

describe('autocomplete fields in a real browser', { skip, timeout: 60_000 }, () => {
  const site = autocompleteSite();
  const app = adminApp(site, { debug: false, allowedHosts: ['127.0.0.1'] });
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;
  let questionId = 0;

  before(async () => {
    configureDatabases({ default: 'sqlite://:memory:' });
    await migrateAdmin(site);
    await makeUser('admin', { superuser: true });
    const weekly = await Tag.objects.create({ name: 'weekly' });
    await Tag.objects.create({ name: 'monthly' });
    await Tag.objects.create({ name: 'daily' });
    await Category.objects.create({ name: 'Drinks' });
    const question = await Question.objects.create({ text: 'Tea or coffee?' });
    await question.related('tags').set([weekly]);
    questionId = question.id;
    mkdirSync(screenshots, { recursive: true });
    session = await openBrowserSession(app, { viewport: { width: 1280, height: 900 } });
    ({ base, page } = session);
  });

  after(async () => {
    await session?.close();
    await closeDatabases();
  });

  it('logs in', async () => {
    await page.goto(`${base}/admin/login/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await Promise.all([
      page.waitForURL(/\/admin\/$/),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
  });

  it('picks tags and a category by searching, removes one, and saves the rows picked', async () => {
    await page.goto(`${base}/admin/polls/question/${questionId}/change/`);
    // The key inputs work without JavaScript; with it, the tags' keys are hidden behind a list.
    assert.equal(await page.locator('#id_tags').getAttribute('type'), 'hidden');
    assert.equal(await page.locator('[data-autocomplete-hint]').count(), 0);
    const chosen = page.locator('.autocomplete-chosen li');
    assert.deepEqual(await chosen.locator('span').allTextContents(), ['weekly']);

    const tags = page.getByLabel('Search Tags');
    await tags.fill('mon');
    await page.getByRole('button', { name: 'monthly' }).click();
    await tags.fill('dai');
    await page.getByRole('button', { name: 'daily' }).click();
    await page.getByRole('button', { name: 'Remove weekly' }).click();
    assert.deepEqual(await chosen.locator('span').allTextContents(), ['monthly', 'daily']);

    await page.getByLabel('Search Category').fill('dri');
    await page.getByRole('button', { name: 'Drinks' }).click();
    assert.equal(await page.locator('[data-autocomplete-label]').textContent(), 'Drinks');
    await page.screenshot({ path: join(screenshots, '10-autocomplete.png'), fullPage: true });

    await Promise.all([
      page.waitForURL(/\/question\/$/),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const saved = await Question.objects.get({ id: questionId });
    const names = (await saved.related('tags').all()).map((tag) => tag.name).sort();
    assert.deepEqual(names, ['daily', 'monthly']);
    const category = await Category.objects.get({ name: 'Drinks' });
    assert.equal(saved.categoryId, category.id);
  });

  it('works without JavaScript: the tags are keys typed into a text input', async () => {
    const context = await session!.browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    plain.setDefaultTimeout(5_000);
    await plain.goto(`${base}/admin/login/`);
    await plain.getByLabel('Username').fill('admin');
    await plain.getByLabel('Password').fill(password);
    await Promise.all([
      plain.waitForURL(/\/admin\/$/),
      plain.getByRole('button', { name: 'Log in' }).click(),
    ]);
    await plain.goto(`${base}/admin/polls/question/${questionId}/change/`);
    const input = plain.getByLabel('Tags');
    assert.equal(await input.getAttribute('type'), 'text');
    assert.ok(await plain.locator('[data-autocomplete-hint]').isVisible());
    const weekly = await Tag.objects.get({ name: 'weekly' });
    const daily = await Tag.objects.get({ name: 'daily' });
    await input.fill(`${weekly.id},${daily.id}`);
    await plain.screenshot({
      path: join(screenshots, '11-autocomplete-no-js.png'),
      fullPage: true,
    });
    await Promise.all([
      plain.waitForURL(/\/question\/$/),
      plain.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const saved = await Question.objects.get({ id: questionId });
    const names = (await saved.related('tags').all()).map((tag) => tag.name).sort();
    assert.deepEqual(names, ['daily', 'weekly']);
    await context.close();
  });

  it('asks before logging out, from a link or a typed URL', async () => {
    await page.goto(`${base}/admin/logout/`);
    assert.equal(await page.locator('h1').textContent(), 'Log out?');
    await page.locator('main').getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in again' }).waitFor();
    await page.goto(`${base}/admin/`);
    assert.match(page.url(), /\/admin\/login\//);
  });
});
