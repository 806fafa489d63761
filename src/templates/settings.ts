// The `templates` setting. This is the pattern for a battery's setting: augment the core's
// config interfaces through `src/index.ts` (the `carafe` module), then register how the value
// is checked and defaulted. The relative module name keeps working in the emitted .d.ts files.
import { resolve } from 'node:path';
import {
  checkBoolean,
  checkObject,
  checkStringList,
  registerSetting,
  type SettingContext,
} from '../index.js';
import type { TemplateFilter } from './engine.js';
import { describe } from './filters/values.js';
import type { ContextProcessor } from './processors.js';

export interface TemplatesConfig {
  /** Project template folders, searched before the apps' and blueprints' own (which they override). */
  dirs?: readonly string[] | undefined;
  /** Keep compiled templates. Default: on, except in debug mode, where an edited template is re-read on the next render. */
  cache?: boolean | undefined;
  /** Extra filters by name: `{ money: (cents: number) => (cents / 100).toFixed(2) }`. */
  filters?: Readonly<Record<string, TemplateFilter>> | undefined;
  /** Values and functions every template sees: `{ siteName: 'Polls' }`. */
  globals?: Readonly<Record<string, unknown>> | undefined;
  /** Functions adding variables to every template rendered for a request, after the built-in ones. */
  contextProcessors?: readonly ContextProcessor[] | undefined;
  /** Locale of the `date`, `number` and `filesizeformat` filters (BCP 47). Default `'en-US'`. */
  locale?: string | undefined;
  /** Time zone of the `date` filter (IANA name). Default `'UTC'`. */
  timeZone?: string | undefined;
}

export interface ResolvedTemplatesConfig {
  /** Absolute paths. */
  readonly dirs: readonly string[];
  readonly cache: boolean;
  readonly filters: Readonly<Record<string, TemplateFilter>>;
  readonly globals: Readonly<Record<string, unknown>>;
  readonly contextProcessors: readonly ContextProcessor[];
  readonly locale: string;
  readonly timeZone: string;
}

declare module '../index.js' {
  interface CarafeConfig {
    /** Template folders, caching, filters, globals and context processors (`carafe/templates`). */
    templates?: TemplatesConfig | undefined;
  }
  interface ResolvedConfig {
    readonly templates: ResolvedTemplatesConfig;
  }
}

const settingNames = [
  'dirs',
  'cache',
  'filters',
  'globals',
  'contextProcessors',
  'locale',
  'timeZone',
] as const;

/** Filters that would let unescaped text through if replaced. */
const escapingFilters = ['safe', 'escape', 'e', 'forceescape'];

export function resolveTemplatesSetting(
  value: unknown,
  context: SettingContext,
): ResolvedTemplatesConfig {
  const given = value === undefined ? {} : checkObject(value, settingNames, 'templates', context);
  const filters = functionsByName(given.filters, 'templates.filters', context);
  for (const name of Object.keys(filters)) {
    if (escapingFilters.includes(name)) {
      context.fail(
        `templates.filters.${name}`,
        'would replace a built-in escaping filter',
        'Give your filter another name; autoescaping depends on this one.',
      );
    }
  }
  return Object.freeze({
    dirs:
      given.dirs === undefined
        ? []
        : Object.freeze(
            checkStringList(given.dirs, 'templates.dirs', context).map((dir) => resolve(dir)),
          ),
    cache:
      given.cache === undefined
        ? !context.debug
        : checkBoolean(given.cache, 'templates.cache', context),
    filters,
    globals:
      given.globals === undefined
        ? {}
        : Object.freeze(namedEntries(given.globals, 'templates.globals', context)),
    contextProcessors: processorList(given.contextProcessors, context),
    locale: given.locale === undefined ? 'en-US' : locale(given.locale, context),
    timeZone: given.timeZone === undefined ? 'UTC' : timeZone(given.timeZone, context),
  });
}

registerSetting('templates', { resolve: resolveTemplatesSetting });

function namedEntries(
  value: unknown,
  path: string,
  context: SettingContext,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return context.fail(
      path,
      `must be an object (got ${describe(value)})`,
      'Give an object of names to values.',
    );
  }
  const entries: Record<string, unknown> = { ...value };
  for (const name of Object.keys(entries)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      context.fail(
        `${path}.${name}`,
        'is not a name templates can use',
        'Use letters, digits and _, not starting with a digit.',
      );
    }
  }
  return entries;
}

function functionsByName(
  value: unknown,
  path: string,
  context: SettingContext,
): Readonly<Record<string, TemplateFilter>> {
  if (value === undefined) return {};
  const filters: Record<string, TemplateFilter> = {};
  for (const [name, filter] of Object.entries(namedEntries(value, path, context))) {
    if (!isFunction<TemplateFilter>(filter)) {
      return context.fail(
        `${path}.${name}`,
        `must be a function (got ${describe(filter)})`,
        'Give (value, ...args) => result.',
      );
    }
    filters[name] = filter;
  }
  return Object.freeze(filters);
}

function processorList(value: unknown, context: SettingContext): readonly ContextProcessor[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    return context.fail(
      'templates.contextProcessors',
      `must be a list of functions (got ${describe(value)})`,
      'Give an array such as [(req) => ({ siteName: "Polls" })].',
    );
  }
  return Object.freeze(
    value.map((processor: unknown, index) => {
      if (isFunction<ContextProcessor>(processor)) return processor;
      return context.fail(
        `templates.contextProcessors[${index}]`,
        `must be a function (got ${describe(processor)})`,
        'Give (req) => ({ name: value }).',
      );
    }),
  );
}

/** Which function type it is cannot be checked at run time; the config's types checked it. */
function isFunction<F>(value: unknown): value is F {
  return typeof value === 'function';
}

function locale(value: unknown, context: SettingContext): string {
  try {
    if (typeof value === 'string') {
      const [canonical] = Intl.getCanonicalLocales(value);
      if (canonical !== undefined) return canonical;
    }
  } catch {
    // reported below
  }
  return context.fail(
    'templates.locale',
    `must be a BCP 47 language tag (got ${describe(value)})`,
    "Give one such as 'en-US' or 'fr'.",
  );
}

function timeZone(value: unknown, context: SettingContext): string {
  try {
    if (typeof value === 'string' && value !== '') {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    }
  } catch {
    // reported below
  }
  return context.fail(
    'templates.timeZone',
    `must be an IANA time zone (got ${describe(value)})`,
    "Give one such as 'UTC' or 'Europe/Paris'.",
  );
}
