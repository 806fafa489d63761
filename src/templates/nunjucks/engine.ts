// The Nunjucks implementation of the engine: Jinja2 syntax (extends, block, include, macro,
// import), autoescape always on, one environment per set of folders.
import { CarafeError } from '../../index.js';
import type { TemplateContext, TemplateEngine, TemplateFilter } from '../engine.js';
import { attributed, PartialCapture, partialRendered, RenderContext } from './context.js';
import { noteOrigin, reportingFilter, type TemplateInfo, templateError } from './errors.js';
import {
  type CompiledTemplate,
  NunjucksEnvironment,
  type RenderFunction,
  runtime,
  type TemplateCallback,
  templateFromString,
  topLevelFrame,
} from './internals.js';
import { FolderLoader } from './loader.js';

export interface NunjucksEngineOptions {
  /** Template folders, searched in order. */
  readonly folders: readonly string[];
  /** Keep compiled templates; without it, a template is re-read when its file changes. */
  readonly cache: boolean;
  readonly filters?: Readonly<Record<string, TemplateFilter>> | undefined;
  readonly globals?: Readonly<Record<string, unknown>> | undefined;
}

class CarafeEnvironment extends NunjucksEnvironment {
  readonly loader: FolderLoader;
  readonly #reload: boolean;
  readonly #instrumented = new WeakSet<CompiledTemplate>();
  readonly #blockOwners = new WeakMap<RenderFunction, TemplateInfo>();

  constructor(loader: FolderLoader, cache: boolean) {
    super([loader], {
      autoescape: true,
      dev: true,
      throwOnUndefined: false,
      trimBlocks: false,
      lstripBlocks: false,
    });
    this.loader = loader;
    this.#reload = !cache;
  }

  /** Called by compiled templates for `extends`, `include` and `import`, and by the engine. */
  override getTemplate(
    name: string,
    _eagerCompile: boolean,
    parentName: string | null,
    ignoreMissing: boolean,
    callback: TemplateCallback,
  ): void {
    let result: Parameters<TemplateCallback> | undefined;
    let returned = false;
    const finish: TemplateCallback = (error, template) => {
      result ??= this.#prepare(error, template, name, parentName);
      if (returned) callback(...result);
    };
    try {
      if (this.#reload) this.loader.refresh(name);
      super.getTemplate(name, false, parentName, ignoreMissing, finish);
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
    returned = true;
    // Outside the try above, so an error in the caller's continuation is not taken for ours.
    if (result !== undefined) callback(...result);
  }

  ownerOf = (block: RenderFunction): TemplateInfo | undefined => this.#blockOwners.get(block);

  /** Compiles a loaded template once and wraps its render functions to attribute errors. */
  instrument(template: CompiledTemplate): void {
    if (this.#instrumented.has(template)) return;
    const info: TemplateInfo = {
      name: this.loader.nameOf(template.path) ?? template.path,
      source: template.tmplStr,
    };
    try {
      template.compile();
    } catch (error) {
      if (error instanceof Error) noteOrigin(error, info, 'parse');
      throw error;
    }
    template.rootRenderFunc = attributed(template.rootRenderFunc, info);
    for (const block of Object.values(template.blocks)) this.#blockOwners.set(block, info);
    this.#instrumented.add(template);
  }

  #prepare(
    error: Error | null,
    template: CompiledTemplate | undefined,
    name: string,
    parentName: string | null,
  ): Parameters<TemplateCallback> {
    if (error) {
      if (error.message !== `template not found: ${name}`) return [error];
      const from = parentName === null ? undefined : (this.loader.nameOf(parentName) ?? parentName);
      return [this.loader.notFound(name, from)];
    }
    if (template === undefined) return [new Error(`Nunjucks returned no template for ${name}`)];
    try {
      this.instrument(template);
    } catch (compileError) {
      return [compileError instanceof Error ? compileError : new Error(String(compileError))];
    }
    return [null, template];
  }
}

export class NunjucksEngine implements TemplateEngine {
  readonly #env: CarafeEnvironment;

  constructor(options: NunjucksEngineOptions) {
    this.#env = new CarafeEnvironment(new FolderLoader(options.folders), options.cache);
    for (const [name, filter] of Object.entries(options.filters ?? {})) {
      this.#env.addFilter(name, reportingFilter(name, filter));
    }
    for (const [name, value] of Object.entries(options.globals ?? {})) {
      this.#env.addGlobal(name, value);
    }
  }

  /** The folders searched, in order, as absolute paths. */
  get folders(): readonly string[] {
    return this.#env.loader.folders;
  }

  render(name: string, context: TemplateContext): Promise<string> {
    return this.#run(name, context, undefined, (callback) =>
      this.#env.getTemplate(name, true, null, false, callback),
    );
  }

  renderBlock(name: string, blockName: string, context: TemplateContext): Promise<string> {
    return this.#run(name, context, new PartialCapture(blockName), (callback) =>
      this.#env.getTemplate(name, true, null, false, callback),
    );
  }

  renderString(source: string, context: TemplateContext): Promise<string> {
    return this.#run('<string>', context, undefined, (callback) => {
      const template = templateFromString(source, this.#env, '<string>');
      this.#env.instrument(template);
      callback(null, template);
    });
  }

  #run(
    name: string,
    variables: TemplateContext,
    partial: PartialCapture | undefined,
    load: (callback: TemplateCallback) => void,
  ): Promise<string> {
    const env = this.#env;
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => reject(templateError(error, name));
      const done = (error: Error | null, output?: string) => {
        if (error === partialRendered) resolve(partial?.output ?? '');
        else if (error) fail(error);
        else resolve(output ?? '');
      };
      try {
        load((loadError, template) => {
          if (loadError || template === undefined) return fail(loadError);
          const context = new RenderContext(
            env,
            { ...variables },
            template.blocks,
            env.ownerOf,
            partial,
          );
          const frame = topLevelFrame();
          template.rootRenderFunc(env, context, frame, runtime, (error, output) => {
            if (partial === undefined || error) return done(error, output);
            // The block was not reached from the top (it sits inside another block, or the
            // layout does not use it): render it on its own, with everything the top set up.
            if (!context.hasBlock(partial.block)) return fail(missingBlock(name, partial, context));
            context.getBlock(partial.block)(env, context, frame, runtime, done);
          });
        });
      } catch (error) {
        fail(error);
      }
    });
  }
}

function missingBlock(name: string, partial: PartialCapture, context: RenderContext): CarafeError {
  const known = Object.keys(context.blocks);
  return new CarafeError(
    'CARAFE_TEMPLATE_BLOCK_NOT_FOUND',
    `Template "${name}" has no block "${partial.block}"` +
      (known.length === 0
        ? ' (it defines no blocks). '
        : ` (its blocks, layouts included: ${known.join(', ')}). `) +
      `Check the name after "#", or define it with {% block ${partial.block} %}…{% endblock %}.`,
  );
}
