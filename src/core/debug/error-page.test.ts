import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderErrorPage } from './index.js';

describe('renderErrorPage', () => {
  it('shows the status and reason phrase', () => {
    const page = renderErrorPage(404);
    assert.match(page, /^<!doctype html>/);
    assert.ok(page.includes('<title>404 Not Found</title>'));
    assert.ok(
      page.includes('<p class="status">404</p>\n<h1>Not Found</h1>\n\n</main>'),
      'no detail line',
    );
  });

  it('shows a 4xx message, escaped, unless it repeats the reason', () => {
    const page = renderErrorPage(400, `Field "age" <script>alert('x')</script> & more`);
    assert.ok(
      page.includes(
        '<p>Field &quot;age&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</p>',
      ),
    );
    assert.doesNotMatch(page, /<script/);
    assert.ok(!renderErrorPage(403, 'Forbidden').includes('<p>Forbidden</p>'));
  });

  it('never shows a 5xx message', () => {
    const page = renderErrorPage(500, 'password authentication failed for user "app"');
    assert.ok(page.includes('<h1>Internal Server Error</h1>'));
    assert.ok(page.includes('The server could not complete the request.'));
    assert.ok(!page.includes('password'));
    assert.ok(renderErrorPage(503).includes('<title>503 Service Unavailable</title>'));
    assert.ok(renderErrorPage(599).includes('<h1>Server Error</h1>'));
  });

  it('is small and self-contained', () => {
    const page = renderErrorPage(404, 'x');
    assert.ok(page.includes('<style>'));
    assert.doesNotMatch(page, /<link|<script|<img|src=|@import/i);
    assert.ok(page.length < 2500, `${page.length} bytes`);
  });
});
