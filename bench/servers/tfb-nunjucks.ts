// The fortunes template through a Nunjucks Environment set up as carafe/templates sets up its
// own: autoescaping on, no file watching, compiled templates cached.
import type { Fortune } from './db-common.js';
import { TEMPLATES_DIR } from './db-common.js';

export async function fortunesPage(): Promise<(fortunes: readonly Fortune[]) => string> {
  const { default: nunjucks } = await import('nunjucks');
  const templates = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(TEMPLATES_DIR, { watch: false, noCache: false }),
    { autoescape: true },
  );
  return (fortunes) => templates.render('fortunes.html', { fortunes });
}
