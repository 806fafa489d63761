// The engine contract. Carafe renders through this interface only, so the Nunjucks
// implementation could be swapped without touching `render` or the batteries.

/** The variables a template sees. */
export type TemplateContext = Readonly<Record<string, unknown>>;

/**
 * A filter: `{{ value | name(arg1, arg2) }}` calls `filter(value, arg1, arg2)`. Return a string
 * (escaped when printed) or `markSafe(html)` for markup you escaped yourself.
 */
export type TemplateFilter = (value: never, ...args: never[]) => unknown;

export interface TemplateEngine {
  /** Renders a template file by name (`polls/index.html`), layouts and includes resolved. */
  render(name: string, context: TemplateContext): Promise<string>;
  /**
   * Renders only one block of a template (`{% block results %}`), for fragments such as htmx
   * swaps. The block may be defined by the template or by a layout it extends.
   */
  renderBlock(name: string, blockName: string, context: TemplateContext): Promise<string>;
  /** Renders template source text; it may extend or include files like any template. */
  renderString(source: string, context: TemplateContext): Promise<string>;
}
