// Building HTML safely: every piece of text and every attribute value passes through escapeHtml,
// and finished markup travels as SafeHtml so templates output it without escaping it twice.
import { CarafeError, escapeHtml } from '../index.js';

export { escapeHtml };

/**
 * Markup that is already escaped. `String(html)` gives the markup; `__html__()` is the
 * MarkupSafe protocol Jinja-style engines check, and `| safe` works in any template.
 */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  __html__(): string {
    return this.#markup;
  }

  toString(): string {
    return this.#markup;
  }

  toJSON(): string {
    return this.#markup;
  }
}

/** Attribute values: `true` renders the bare name, `false` and `undefined` leave it out. */
export type AttrValue = string | number | boolean | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

// HTML allows almost anything in a name; we allow what people write, so no name can break out.
const attrNamePattern = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

/** Checks developer-given attribute names once, when a field is defined. */
export function checkAttrs(where: string, attrs: Attrs | undefined): void {
  for (const name of Object.keys(attrs ?? {})) {
    if (!attrNamePattern.test(name)) {
      throw new CarafeError(
        'CARAFE_FORMS_DEFINITION',
        `${where}: "${name}" is not a valid HTML attribute name (letters, digits, -, _, : and .).`,
      );
    }
  }
}

export function renderAttrs(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** `<tag attrs>content</tag>`; `content` must already be escaped. */
export function element(tag: string, attrs: Attrs, content?: string): string {
  const open = `<${tag}${renderAttrs(attrs)}>`;
  return content === undefined ? open : `${open}${content}</${tag}>`;
}
