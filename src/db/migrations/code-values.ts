// Values as source code: literals, dates, bytes, plain objects and arrays, database expressions
// (`Now()`, `F('a')`) and fields (`f.string({ max: 200 })`). Anything else — a function above
// all — cannot be written into a migration file, and says so.
import { CarafeError } from '../../index.js';
import type { ExpressionNode } from '../query/expressions.js';
import { isExpression } from '../query/expressions.js';
import { call, type Code, entry, list, text } from './code-layout.js';
import type { FieldDescription } from './field-description.js';
import { FieldCode } from './operations/operation.js';

/** Names a migration file imports because the code uses them (swappables from `carafe/db/migrations`). */
export type DbImport = 'f' | 'F' | 'Now' | 'swappable' | 'swappableDependency';

export interface ValueContext {
  readonly imports: Set<DbImport>;
  /** Where the value sits, for errors: `op.addField('polls.Question', …)`. */
  readonly where: string;
}

function unwritable(context: ValueContext, what: string): CarafeError {
  return new CarafeError(
    'CARAFE_MIGRATION_UNWRITABLE',
    `${context.where} holds ${what}, which cannot be written into a migration file. ` +
      'Only literals, dates, bytes, plain objects and arrays can; RunCode operations are written by hand.',
  );
}

/** A string literal in single quotes, or double quotes when that needs fewer escapes (as the formatter does). */
export function stringLiteral(value: string): string {
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  const quote = doubles < singles ? '"' : "'";
  let out = quote;
  for (const char of value) {
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char < ' ' || char === '\u2028' || char === '\u2029') {
      out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else out += char;
  }
  return `${out}${quote}`;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

export function propertyKey(key: string): string {
  return identifier.test(key) ? key : stringLiteral(key);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function expressionCode(node: ExpressionNode, context: ValueContext): Code {
  switch (node.type) {
    case 'field':
      context.imports.add('F');
      return call('F', [text(stringLiteral(node.path))]);
    case 'now':
      context.imports.add('Now');
      return call('Now', []);
    case 'value':
      return valueCode(node.value, context);
    case 'arithmetic': {
      const method = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' }[node.operator];
      const left = expressionCode(node.left, context);
      // The left side is always an expression (F, Now or arithmetic), printed on one line.
      return call(`${flatText(left)}.${method}`, [expressionCode(node.right, context)]);
    }
    default:
      throw unwritable(context, `a ${node.type} expression`);
  }
}

function flatText(code: Code): string {
  if (code.type === 'text') return code.text;
  if (code.type === 'call') return `${code.callee}(${code.args.map(flatText).join(', ')})`;
  throw new Error('expression operands are calls or literals');
}

function objectCode(value: Record<string, unknown>, context: ValueContext): Code {
  const entries = Object.entries(value)
    .filter(([, inner]) => inner !== undefined)
    .map(([key, inner]) => entry(propertyKey(key), valueCode(inner, context)));
  return list(
    '{}',
    entries,
    entries.length > 0 && Object.values(value).every((inner) => inner instanceof FieldCode),
  );
}

/** `value` as code; fields (`FieldCode`) become `f.<kind>(…)` calls. */
export function valueCode(value: unknown, context: ValueContext): Code {
  switch (typeof value) {
    case 'string':
      return text(stringLiteral(value));
    case 'number':
      return text(Object.is(value, -0) ? '-0' : String(value));
    case 'bigint':
      return text(`${value}n`);
    case 'boolean':
      return text(String(value));
    case 'undefined':
      return text('undefined');
    case 'function':
      throw unwritable(context, 'a function');
    case 'symbol':
      throw unwritable(context, 'a symbol');
  }
  if (value === null) return text('null');
  const object = value as object;
  if (object instanceof FieldCode) return fieldCode(object.description, context);
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw unwritable(context, 'an invalid date');
    return call('new Date', [text(stringLiteral(object.toISOString()))]);
  }
  if (object instanceof Uint8Array) {
    return call('new Uint8Array', [
      list(
        '[]',
        [...object].map((byte) => text(String(byte))),
      ),
    ]);
  }
  if (Array.isArray(object))
    return list(
      '[]',
      object.map((item) => valueCode(item, context)),
    );
  if (isExpression(object)) return expressionCode(object.expression, context);
  if (isPlainObject(object)) return objectCode(object, context);
  throw unwritable(context, `a ${object.constructor?.name ?? 'non-plain'} object`);
}

// Stands for `Now()` among option values until they become code.
const NowMarker = Symbol('Now()');

const defaultMax: Partial<Record<FieldDescription['kind'], number>> = {
  email: 254,
  url: 200,
  slug: 50,
};

/** `f.string({ max: 200, nullable: true })`: options in a fixed order, builder defaults left out. */
export function fieldCode(d: FieldDescription, context: ValueContext): Code {
  context.imports.add('f');
  const options: [string, unknown][] = [];
  const add = (key: string, value: unknown): void => {
    if (value !== undefined) options.push([key, value]);
  };
  const isRelation = d.kind === 'foreignKey' || d.kind === 'oneToOne';
  if (d.kind === 'manyToMany') {
    add('relatedName', d.relatedName);
    add('through', d.through);
  } else {
    if (isRelation) {
      add('onDelete', d.onDelete ?? 'cascade');
      // The builder refuses setDefault without a default; historical models never apply it.
      if (d.onDelete === 'setDefault') add('default', null);
    }
    if (d.max !== undefined && d.max !== defaultMax[d.kind]) add('max', d.max);
    add('maxDigits', d.maxDigits);
    add('decimalPlaces', d.decimalPlaces);
    if (d.kind !== 'auto' && d.kind !== 'bigAuto') add('primaryKey', d.primaryKey);
    add('nullable', d.nullable);
    add('unique', d.unique);
    // A slug is indexed unless told otherwise (a unique slug needs no index of its own).
    if (d.kind === 'slug') add('index', d.index === true || d.unique === true ? undefined : false);
    else add('index', d.index);
    if (d.dbDefault !== undefined) {
      if ('now' in d.dbDefault) {
        context.imports.add('Now');
        options.push(['dbDefault', NowMarker]);
      } else add('dbDefault', d.dbDefault.value);
    }
    add('relatedName', isRelation ? d.relatedName : undefined);
    add('column', d.column);
  }
  const args: Code[] = [];
  if (d.swappable !== undefined) {
    context.imports.add('swappable');
    args.push(call('swappable', [text(stringLiteral(d.swappable))]));
  } else if (d.to !== undefined) args.push(text(stringLiteral(d.to)));
  if (options.length > 0 || (isRelation && args.length > 0)) {
    args.push(
      list(
        '{}',
        options.map(([key, value]) =>
          entry(key, value === NowMarker ? call('Now', []) : valueCode(value, context)),
        ),
      ),
    );
  }
  return call(`f.${d.kind}`, args);
}

/** Whether `value` can be written into a migration file (a literal, not a function). */
export function canWrite(value: unknown): boolean {
  try {
    valueCode(value, { imports: new Set(), where: 'value' });
    return true;
  } catch (error) {
    if (error instanceof CarafeError) return false;
    throw error;
  }
}
