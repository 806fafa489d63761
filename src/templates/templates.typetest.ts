// Type-level tests for carafe/templates: the `templates` setting, render and context processors.
import { type Equal, expectTrue, expectType } from '../../test/support/type-assert.js';
import { Carafe, defineConfig, type HttpResponse, type ResolvedConfig } from '../index.js';
import {
  type ContextProcessor,
  markSafe,
  type ResolvedTemplatesConfig,
  registerContextProcessor,
  render,
  type renderToString,
  type SafeHtml,
  type TemplateEngine,
  templateEngine,
} from './index.js';

// The setting is part of the config once carafe/templates is imported.
const config = defineConfig({
  templates: {
    dirs: ['templates'],
    cache: false,
    filters: {
      money: (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`,
      bold: (text: string) => markSafe(`<b>${text}</b>`),
    },
    globals: { siteName: 'Polls' },
    contextProcessors: [(req) => ({ path: req.path }), async () => ({ late: true })],
    locale: 'fr',
    timeZone: 'Europe/Paris',
  },
});
// @ts-expect-error unknown keys are rejected
defineConfig({ templates: { dir: ['templates'] } });
// @ts-expect-error cache is a boolean
defineConfig({ templates: { cache: 'yes' } });
// @ts-expect-error a context processor returns variables
defineConfig({ templates: { contextProcessors: [() => 'name'] } });

declare const resolved: ResolvedConfig;
expectTrue<Equal<typeof resolved.templates, ResolvedTemplatesConfig>>();
expectTrue<Equal<typeof resolved.templates.dirs, readonly string[]>>();

// render takes the handler's request, whatever its params.
const app = new Carafe(config);
app.get('/polls/<int:id>/', (req) => {
  expectType<number>(req.params.id);
  const response = render(req, 'polls/detail.html', { id: req.params.id });
  expectTrue<Equal<typeof response, Promise<HttpResponse>>>();
  return response;
});
app.get('/', (req) => render(req, 'index.html', {}, { status: 201, headers: { 'x-a': 'b' } }));
// @ts-expect-error the context is an object of variables
app.get('/bad', (req) => render(req, 'index.html', ['not', 'an', 'object']));

expectTrue<Equal<ReturnType<typeof renderToString>, Promise<string>>>();
expectType<TemplateEngine>(templateEngine(app));

// Context processors, as a battery registers them.
const user: ContextProcessor = (req) => ({ user: req.state, ip: req.ip });
registerContextProcessor(app, user);
registerContextProcessor(app, async () => ({ messages: [] as string[] }));
// @ts-expect-error a context processor returns an object
registerContextProcessor(app, () => 42);

expectType<SafeHtml>(markSafe('<b>trusted</b>'));
