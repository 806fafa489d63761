// Rendering for an app: one engine per app, built on first use from the `templates` setting
// and the folders of the app's blueprints and apps (the project's `dirs` first).
import {
  type Carafe,
  CarafeError,
  type HttpRequest,
  type HttpResponse,
  html,
  type ResponseInit,
} from '../index.js';
import type { TemplateContext, TemplateEngine } from './engine.js';
import { builtinFilters } from './filters/index.js';
import { describe } from './filters/values.js';
import { NunjucksEngine } from './nunjucks/engine.js';
import { requestContext, staticUrlFor, templateUrlFor } from './processors.js';
import { type ResolvedTemplatesConfig, resolveTemplatesSetting } from './settings.js';

const engines = new WeakMap<Carafe, TemplateEngine>();

/**
 * Renders a template for a request, with the context processors' variables, as an HTML
 * response: `return render(req, 'polls/index.html', { latest })`. `'polls/index.html#results'`
 * renders only the block `results` (for htmx-style fragments).
 */
export async function render(
  req: HttpRequest,
  name: string,
  context: TemplateContext = {},
  init?: ResponseInit,
): Promise<HttpResponse> {
  const app = req.app;
  const variables = await requestContext(req, settingsOf(app).contextProcessors, context);
  return html(await renderWith(templateEngine(app), name, variables), init);
}

/**
 * Renders a template without a request (mail, files): no context processors run, but the
 * globals (`static`, `urlFor`, `debug` and `templates.globals`) are there.
 */
export async function renderToString(
  app: Carafe,
  name: string,
  context: TemplateContext = {},
): Promise<string> {
  return renderWith(templateEngine(app), name, context);
}

/** The app's engine, created on first use: for `renderString` or a custom render. */
export function templateEngine(app: Carafe): TemplateEngine {
  let engine = engines.get(app);
  if (engine === undefined) {
    const settings = settingsOf(app);
    engine = new NunjucksEngine({
      folders: [...settings.dirs, ...app.templateFolders],
      cache: settings.cache,
      filters: { ...builtinFilters(settings), ...settings.filters },
      globals: {
        debug: app.config.debug,
        static: (path: unknown) => staticUrlFor(app, path),
        urlFor: templateUrlFor(app),
        ...settings.globals,
      },
    });
    engines.set(app, engine);
  }
  return engine;
}

function renderWith(
  engine: TemplateEngine,
  name: string,
  context: TemplateContext,
): Promise<string> {
  if (typeof name !== 'string') {
    throw new CarafeError(
      'CARAFE_TEMPLATE_NAME',
      `A template name must be a string such as 'polls/index.html' (got ${describe(name)}).`,
    );
  }
  const hash = name.indexOf('#');
  if (hash === -1) return engine.render(name, context);
  const block = name.slice(hash + 1);
  if (!/^[A-Za-z_]\w*$/.test(block)) {
    throw new CarafeError(
      'CARAFE_TEMPLATE_NAME',
      `"${name}" names the block ${JSON.stringify(block)}, which is not a block name. Write 'page.html#block_name' to render one block.`,
    );
  }
  return engine.renderBlock(name.slice(0, hash), block, context);
}

const settingsCache = new WeakMap<Carafe, ResolvedTemplatesConfig>();

/** The setting is missing only when this module was loaded after the app was created. */
function settingsOf(app: Carafe): ResolvedTemplatesConfig {
  const configured: ResolvedTemplatesConfig | undefined = app.config.templates;
  if (configured !== undefined) return configured;
  let defaults = settingsCache.get(app);
  if (defaults === undefined) {
    defaults = resolveTemplatesSetting(undefined, {
      debug: app.config.debug,
      env: process.env,
      fail: (path, problem, fix) => {
        throw new CarafeError('CARAFE_CONFIG', `${path} ${problem}. ${fix}`);
      },
      warn: () => {},
    });
    settingsCache.set(app, defaults);
  }
  return defaults;
}
