// The plain error page visitors see outside debug mode: the status, its reason, nothing internal.
import { reasonPhrase } from '../errors.js';
import { escapeHtml } from '../html.js';
import { errorPageStyles } from './styles.js';

/**
 * A small, self-contained HTML page for `status`. For 4xx, `message` (already judged safe to
 * show, e.g. an `HttpError` with `expose`) is included, escaped; for 5xx it is ignored.
 */
export function renderErrorPage(status: number, message?: string): string {
  const reason = reasonPhrase(status);
  const detail =
    status >= 500
      ? 'The server could not complete the request. Please try again later.'
      : message !== undefined && message !== reason
        ? message
        : undefined;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status} ${escapeHtml(reason)}</title>
<style>${errorPageStyles}</style>
</head>
<body>
<main>
<p class="status">${status}</p>
<h1>${escapeHtml(reason)}</h1>
${detail === undefined ? '' : `<p>${escapeHtml(detail)}</p>`}
</main>
</body>
</html>
`;
}
