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

const runtimeInternals = nunjucks.runtime as unknown as {
  Frame: new () => Frame;
  SafeString: typeof nunjucks.runtime.SafeString;
};

/** The runtime object compiled code receives as its `runtime` argument. */
export const runtime: unknown = nunjucks.runtime;

export function topLevelFrame(): Frame {
  const frame = new runtimeInternals.Frame();
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
