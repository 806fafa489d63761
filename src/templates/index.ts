// 'carafe/templates': Jinja2-syntax templates (through Nunjucks) with autoescaping always on,
// per-app template folders, context processors, block rendering and Django's everyday filters.
// Importing it registers the `templates` setting (before the app resolves its config).
import './settings.js';

export type { TemplateContext, TemplateEngine, TemplateFilter } from './engine.js';
export { NunjucksEngine, type NunjucksEngineOptions } from './nunjucks/engine.js';
export {
  type ContextProcessor,
  registerContextProcessor,
  type StaticUrlResolver,
  setStaticUrlResolver,
  type TemplateUrlFor,
} from './processors.js';
export { render, renderToString, templateEngine } from './render.js';
export { escapeHtml, isSafe, markSafe, type SafeHtml } from './safe.js';
export type { ResolvedTemplatesConfig, TemplatesConfig } from './settings.js';
