// The parts of Nunjucks 3.2 we rely on beyond its typed surface: the compiled template's render
// functions, the runtime frame and the environment's five-argument `getTemplate`. They are
// declared here, once, so every cast into Nunjucks lives in this file.
import nunjucks from 'nunjucks';

export type RenderCallback = (error: Error | null, output?: string) => void;

/** What compiled template code calls on its context (see our `RenderContext`). */
export interface CompiledContext {
  lookup(name: string): unknown;
  setVariable(name: string, value: unknown): void;
  getVariables(): Record<string, unknown>;
  addBlock(name: string, block: RenderFunction): void;
  getBlock(name: string): RenderFunction;
  getSuper(
    env: InternalEnvironment,
    name: string,
    block: RenderFunction,
    frame: Frame,
    runtime: unknown,
    callback: RenderCallback,
  ): void;
  addExport(name: string): void;
  getExported(): Record<string, unknown>;
}

/** The signature of a compiled template's root and of each of its blocks. */
export type RenderFunction = (
  env: InternalEnvironment,
  context: CompiledContext,
  frame: Frame,
  runtime: unknown,
  callback: RenderCallback,
) => void;

export interface Frame {
  topLevel: boolean;
}

export interface CompiledTemplate {
  readonly path: string;
  /** The source, for templates compiled from text (all of ours). */
  readonly tmplStr?: string;
  blocks: Record<string, RenderFunction>;
  rootRenderFunc: RenderFunction;
  compile(): void;
}

export type TemplateCallback = (error: Error | null, template?: CompiledTemplate) => void;

export interface LoaderSource {
  readonly src: string;
  readonly path: string;
  readonly noCache: boolean;
}

/** A synchronous Nunjucks loader; the environment gives it a `cache` of compiled templates. */
export interface SourceLoader {
  cache?: Record<string, CompiledTemplate | null | undefined>;
  getSource(name: string): LoaderSource | null;
}

export interface InternalEnvironment {
  readonly globals: Record<string, unknown>;
  readonly opts: { readonly autoescape: boolean };
  addFilter(name: string, filter: (...args: never[]) => unknown): void;
  addGlobal(name: string, value: unknown): void;
  getTemplate(
    name: string,
    eagerCompile: boolean,
    parentName: string | null,
    ignoreMissing: boolean,
    callback: TemplateCallback,
  ): void;
}

interface EnvironmentOptions {
  autoescape: true;
  /** Keeps Nunjucks from replacing errors by bare copies, which would lose line and cause. */
  dev: true;
  throwOnUndefined: false;
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

export type EnvironmentConstructor = new (
  loaders: SourceLoader[],
  options: EnvironmentOptions,
) => InternalEnvironment;

/** Nunjucks' environment, to subclass (it is a plain constructor function, which ES classes can extend). */
export const NunjucksEnvironment = nunjucks.Environment as unknown as EnvironmentConstructor;

const TemplateClass = nunjucks.Template as unknown as new (
  source: string,
  env: InternalEnvironment,
  path: string,
  eagerCompile: boolean,
) => CompiledTemplate;

/** A template compiled from text, not from a loader (`renderString`). */
export function templateFromString(
  source: string,
  env: InternalEnvironment,
  path: string,
): CompiledTemplate {
  return new TemplateClass(source, env, path, false);
}

/** Nunjucks' scope of variables; compiled code calls `set`, `push` and `pop` on it. */
interface NunjucksFrame extends Frame {
  readonly variables: Record<string, unknown>;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  resolve(name: string, forWrite: boolean): NunjucksFrame | undefined;
  push(isolateWrites?: boolean): NunjucksFrame;
}

const runtimeInternals = nunjucks.runtime as unknown as {
  Frame: new (parent?: NunjucksFrame, isolateWrites?: boolean) => NunjucksFrame;
  SafeString: typeof nunjucks.runtime.SafeString;
};

const nunjucksLib = nunjucks.lib as unknown as { escape(text: string): string };

/** What Nunjucks' autoescaping replaces (its own set: `\\` too). */
const needsEscaping = /[&"'<>\\]/;

/**
 * Nunjucks' `suppressValue`, through which compiled code prints every `{{ value }}`: the same
 * output, but text with nothing to escape (most text) skips Nunjucks' replace-with-callback.
 */
function suppressValue(value: unknown, autoescape: boolean): unknown {
  const shown = (value ?? '') as { toString(): string };
  if (!autoescape || shown instanceof runtimeInternals.SafeString) return shown;
  const text = shown.toString();
  return needsEscaping.test(text) ? nunjucksLib.escape(text) : text;
}

/** The runtime object compiled code receives as its `runtime` argument. */
export const runtime: unknown = { ...nunjucks.runtime, suppressValue };

/** Variable names compiled code sets, split at their dots (`loop.index`); all are literals of the templates. */
const splitNames = new Map<string, readonly string[]>();

/**
 * Nunjucks' frame with a `set` that does not split the name again on every call: a `for` loop
 * sets eight `loop.*` variables per item, and splitting them was the larger part of rendering a
 * table. Same behaviour otherwise; frames pushed from it are of this class too.
 */
class RenderFrame extends runtimeInternals.Frame {
  override set(name: string, value: unknown, resolveUp?: boolean): void {
    let parts = splitNames.get(name);
    if (parts === undefined) {
      parts = name.split('.');
      splitNames.set(name, parts);
    }
    if (resolveUp) {
      const owner = this.resolve(parts[0] ?? name, true);
      if (owner) {
        owner.set(name, value);
        return;
      }
    }
    // As Nunjucks does: a missing (or falsy) step of a dotted name becomes an object.
    let scope = this.variables;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      const part = parts[i] ?? '';
      if (!scope[part]) scope[part] = {};
      scope = scope[part] as Record<string, unknown>;
    }
    scope[parts[last] ?? name] = value;
  }

  override push(isolateWrites?: boolean): NunjucksFrame {
    return new RenderFrame(this, isolateWrites);
  }
}

export function topLevelFrame(): Frame {
  const frame = new RenderFrame();
  frame.topLevel = true;
  return frame;
}

export const SafeString = runtimeInternals.SafeString;

/** Nunjucks' error type: a line and column (0-based at run time), and the original error. */
export interface TemplateErrorShape extends Error {
  lineno?: number;
  colno?: number;
  cause?: unknown;
}
