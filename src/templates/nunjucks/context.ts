// The context compiled Nunjucks code renders against. Nunjucks does not export its own, and ours
// adds two things: errors in a block are attributed to the template that defined the block, and
// a render can be narrowed to one block (`page.html#results`) while the rest is skipped.
import { noteOrigin, type TemplateInfo } from './errors.js';
import type {
  CompiledContext,
  Frame,
  InternalEnvironment,
  RenderCallback,
  RenderFunction,
} from './internals.js';

/** Which template each compiled block function belongs to. */
export type BlockOwners = (block: RenderFunction) => TemplateInfo | undefined;

/** Passed up the render callbacks once the wanted block is rendered, to stop the rest. */
export const partialRendered = new Error('The requested block is rendered; the rest is skipped.');

/** The state of a one-block render. */
export class PartialCapture {
  readonly block: string;
  /** True from the moment the wanted block starts: blocks nested in it render normally. */
  inside = false;
  output: string | undefined = undefined;
  constructor(block: string) {
    this.block = block;
  }
}

export class RenderContext implements CompiledContext {
  readonly blocks: Record<string, RenderFunction[]> = {};
  readonly #env: InternalEnvironment;
  readonly #variables: Record<string, unknown>;
  readonly #exported: string[] = [];
  readonly #owners: BlockOwners;
  readonly #partial: PartialCapture | undefined;

  constructor(
    env: InternalEnvironment,
    variables: Record<string, unknown>,
    blocks: Record<string, RenderFunction>,
    owners: BlockOwners,
    partial?: PartialCapture,
  ) {
    this.#env = env;
    this.#variables = variables;
    this.#owners = owners;
    this.#partial = partial;
    for (const [name, block] of Object.entries(blocks)) this.addBlock(name, block);
  }

  lookup(name: string): unknown {
    if (Object.hasOwn(this.#variables, name)) return this.#variables[name];
    return Object.hasOwn(this.#env.globals, name) ? this.#env.globals[name] : undefined;
  }

  setVariable(name: string, value: unknown): void {
    this.#variables[name] = value;
  }

  getVariables(): Record<string, unknown> {
    return this.#variables;
  }

  addBlock(name: string, block: RenderFunction): void {
    const chain = this.blocks[name];
    if (chain === undefined) this.blocks[name] = [block];
    else chain.push(block);
  }

  hasBlock(name: string): boolean {
    return this.blocks[name] !== undefined;
  }

  getBlock(name: string): RenderFunction {
    const block = this.blocks[name]?.[0];
    if (block === undefined) throw new Error(`unknown block "${name}"`);
    const partial = this.#partial;
    if (partial === undefined || partial.inside) return this.#attributed(block);
    return name === partial.block ? this.#capture(partial, block) : skipBlock;
  }

  getSuper(
    env: InternalEnvironment,
    name: string,
    block: RenderFunction,
    frame: Frame,
    runtime: unknown,
    callback: RenderCallback,
  ): void {
    const chain = this.blocks[name] ?? [];
    const index = chain.indexOf(block);
    const parent = index === -1 ? undefined : chain[index + 1];
    if (parent === undefined) throw new Error(`no super block available for "${name}"`);
    this.#attributed(parent)(env, this, frame, runtime, callback);
  }

  addExport(name: string): void {
    this.#exported.push(name);
  }

  getExported(): Record<string, unknown> {
    const exported: Record<string, unknown> = {};
    for (const name of this.#exported) exported[name] = this.#variables[name];
    return exported;
  }

  #attributed(block: RenderFunction): RenderFunction {
    return attributed(block, this.#owners(block));
  }

  #capture(partial: PartialCapture, block: RenderFunction): RenderFunction {
    const render = this.#attributed(block);
    return (env, context, frame, runtime, callback) => {
      partial.inside = true;
      render(env, context, frame, runtime, (error, output) => {
        if (error) return callback(error);
        partial.output = output ?? '';
        callback(partialRendered);
      });
    };
  }
}

const skipBlock: RenderFunction = (_env, _context, _frame, _runtime, callback) =>
  callback(null, '');

/**
 * Wraps a compiled render function so that an error leaving it is noted as coming from
 * `template`, and so that the caller's continuation runs after the function has returned.
 * Nunjucks calls continuations from inside the callee's `try`, which would blame the callee's
 * line for an error in the caller.
 */
export function attributed(
  render: RenderFunction,
  template: TemplateInfo | undefined,
): RenderFunction {
  return (env, context, frame, runtime, callback) => {
    let result: [Error | null, string | undefined] | undefined;
    let returned = false;
    render(env, context, frame, runtime, (error, output) => {
      if (result !== undefined) return; // Nunjucks may report a failure twice; the first counts
      if (error && template !== undefined) noteOrigin(error, template, 'render');
      result = [error, output];
      if (returned) callback(error, output);
    });
    returned = true;
    if (result !== undefined) callback(result[0], result[1]);
  };
}
