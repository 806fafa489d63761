// The filters every Carafe template has, beyond Nunjucks' own (`default`, `escape`, `safe`,
// `length`, `join`, `upper`, …). Project filters (templates.filters) are added after these.
import type { TemplateFilter } from '../engine.js';
import { type DateSettings, dateFilter } from './dates.js';
import { jsonScript } from './json-script.js';
import { filesizeFilter, numberFilter } from './numbers.js';
import { linebreaksbr, pluralize, truncatechars, truncatewords, urlencode, yesno } from './text.js';

export { formatLetters } from './dates.js';

export function builtinFilters(settings: DateSettings): Record<string, TemplateFilter> {
  return {
    date: dateFilter(settings),
    number: numberFilter(settings.locale),
    filesizeformat: filesizeFilter(settings.locale),
    truncatechars,
    truncatewords,
    pluralize,
    yesno,
    linebreaksbr,
    urlencode,
    json_script: jsonScript,
  };
}
