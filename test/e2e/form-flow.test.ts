// One form, start to finish, in a real browser (Debian's chromium driven by playwright-core):
// errors shown beside their fields with the input kept, then a valid submission, the redirect,
// and a flash message shown exactly once. The app runs on the real Node server.
// The steps share one page and run in order: each starts where the previous one left off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type BrowserSession, openBrowserSession, serviceSkip } from '../support/services.js';
import { signupApp } from './fixtures/signup-app.js';

const skip = await serviceSkip('chromium');

describe('a form in a real browser', { skip, timeout: 30_000 }, () => {
  const { app, posts } = signupApp();
  let session: BrowserSession | undefined;
  let page: Page;
  let signupUrl: string;

  before(async () => {
    session = await openBrowserSession(app);
    page = session.page;
    signupUrl = `${session.base}/signup/`;
  });

  after(async () => {
    await session?.close();
  });

  /** Clicks the submit button and returns the status of the POST it sent. */
  async function submit(): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign up' }).click(),
    ]);
    return response.status();
  }

  it('re-renders an invalid submission with errors beside their fields and the input kept', async () => {
    await page.goto(signupUrl);
    const token = page.locator('form input[type="hidden"][name="csrfmiddlewaretoken"]');
    assert.match((await token.getAttribute('value')) ?? '', /^[\w-]{32,}$/);

    await page.getByLabel('Name').fill('Ada <i>Lovelace</i>');
    await page.getByLabel('Email').fill('ada@');
    await page.getByLabel('Age').fill('12');
    assert.equal(await submit(), 400);
    await page.locator('#id_email[aria-invalid="true"]').waitFor();

    assert.equal(posts.count, 1);
    assert.equal(await page.locator('#id_email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#id_age').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#id_name').getAttribute('aria-invalid'), null);
    // Each message sits in its field's own block and is what the input's aria-describedby names.
    const ageBlock = page.locator('div:has(> #id_age)');
    assert.equal(
      await ageBlock.locator('.errorlist').textContent(),
      'Ensure this value is greater than or equal to 18.',
    );
    assert.ok(await ageBlock.locator('.errorlist').isVisible());
    assert.equal(await page.locator('#id_age').getAttribute('aria-describedby'), 'id_age_error');
    assert.equal(
      await page.locator('div:has(> #id_email) .errorlist').textContent(),
      'Enter a valid email address.',
    );
    assert.equal(await page.locator('div:has(> #id_name) .errorlist').count(), 0);
    // What was typed comes back as typed, markup included, never interpreted.
    assert.equal(await page.getByLabel('Name').inputValue(), 'Ada <i>Lovelace</i>');
    assert.equal(await page.getByLabel('Email').inputValue(), 'ada@');
    assert.equal(await page.getByLabel('Age').inputValue(), '12');
    assert.equal(await page.locator('main i').count(), 0);
    assert.equal(await token.count(), 1);
    assert.equal(await page.locator('.messages').count(), 0);
  });

  it('redirects a corrected submission and flashes the message exactly once', async () => {
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Age').fill('36');
    const [status] = await Promise.all([submit(), page.waitForURL(`${session?.base}/thanks/`)]);
    assert.equal(status, 303);
    assert.equal(posts.count, 2);

    assert.equal(await page.locator('h1').textContent(), 'Thank you');
    const flash = page.locator('.messages li.success');
    assert.equal(await flash.textContent(), 'Welcome, Ada <i>Lovelace</i>!');
    assert.ok(await flash.isVisible());

    const again = await page.reload();
    assert.equal(again?.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Thank you');
    assert.equal(await page.locator('.messages').count(), 0);
  });

  it('answers a submission without the CSRF token with 403, before the handler runs', async () => {
    await page.goto(signupUrl);
    await page.locator('input[name="csrfmiddlewaretoken"]').evaluate((input) => input.remove());
    await page.getByLabel('Name').fill('Mallory');
    await page.getByLabel('Email').fill('mallory@example.com');
    await page.getByLabel('Age').fill('40');
    assert.equal(await submit(), 403);
    assert.equal(posts.count, 2);

    await page.goto(`${session?.base}/thanks/`);
    assert.equal(await page.locator('.messages').count(), 0);
  });
});
