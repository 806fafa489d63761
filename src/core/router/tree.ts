// The segment tree that dynamic routes are matched through. It walks the path by index (no
// splitting), tries static children before parameters and parameters in priority order, and
// backtracks when a deeper segment fails.
import { converterPriority } from './converters.js';
import { decodePathText } from './encoding.js';
import { MethodTable, mergeAllowed } from './method-table.js';
import type { ParamSegment, ParsedPattern } from './pattern.js';
import type { RouteMatch } from './types.js';

interface ParamEdge<Handler> {
  readonly segment: ParamSegment;
  readonly greedy: boolean;
  readonly shape: string;
  readonly priority: number;
  readonly affixLength: number;
  readonly order: number;
  readonly node: TreeNode<Handler>;
}

class TreeNode<Handler> {
  readonly statics = new Map<string, TreeNode<Handler>>();
  readonly params: ParamEdge<Handler>[] = [];
  methods: MethodTable<Handler> | undefined;
}

type Found<Handler> = Extract<RouteMatch<Handler>, { kind: 'found' }>;

/** The state of one match() call, shared by the recursive walk. */
interface Search<Handler> {
  readonly path: string;
  readonly method: string;
  /** Converted parameter values by depth; read back in order once a route is found. */
  readonly values: unknown[];
  /** Routes whose pattern matched but which do not answer this method. */
  misses: MethodTable<Handler>[] | undefined;
}

const notFound = Object.freeze({ kind: 'not-found' as const });

// Static first, then parameters by priority; more literal text around a parameter is more specific;
// registration order breaks the remaining ties.
function compareEdges<Handler>(a: ParamEdge<Handler>, b: ParamEdge<Handler>): number {
  return a.priority - b.priority || b.affixLength - a.affixLength || a.order - b.order;
}

export class RouteTree<Handler> {
  readonly #root = new TreeNode<Handler>();
  #edgeCount = 0;

  /** Adds the pattern's path and returns the method table at its end (shared by equal shapes). */
  insert(pattern: ParsedPattern): MethodTable<Handler> {
    let node = this.#root;
    for (const segment of pattern.segments) {
      node =
        segment.kind === 'static'
          ? staticChild(node, segment.text)
          : this.#paramChild(node, segment);
    }
    node.methods ??= new MethodTable<Handler>();
    return node.methods;
  }

  /** Matches a canonical path (see encoding.ts) that starts with `/`. */
  match(method: string, path: string): RouteMatch<Handler> {
    const search: Search<Handler> = { path, method, values: [], misses: undefined };
    const found = matchSegment(this.#root, search, 1, 0);
    if (found !== undefined) return found;
    if (search.misses !== undefined) {
      return { kind: 'method-not-allowed', allowed: mergeAllowed(search.misses) };
    }
    return notFound;
  }

  #paramChild(node: TreeNode<Handler>, segment: ParamSegment): TreeNode<Handler> {
    const shape = `${segment.prefix}<${segment.converterName}>${segment.suffix}`;
    const existing = node.params.find((edge) => edge.shape === shape);
    if (existing !== undefined) return existing.node;
    const edge: ParamEdge<Handler> = {
      segment,
      greedy: segment.converter.greedy === true,
      shape,
      priority: converterPriority(segment.converter),
      affixLength: segment.prefix.length + segment.suffix.length,
      order: this.#edgeCount++,
      node: new TreeNode<Handler>(),
    };
    node.params.push(edge);
    node.params.sort(compareEdges);
    return edge.node;
  }
}

function staticChild<Handler>(node: TreeNode<Handler>, text: string): TreeNode<Handler> {
  let child = node.statics.get(text);
  if (child === undefined) {
    child = new TreeNode<Handler>();
    node.statics.set(text, child);
  }
  return child;
}

/** Tries every way `node`'s children can take the segment starting at `start`. */
function matchSegment<Handler>(
  node: TreeNode<Handler>,
  search: Search<Handler>,
  start: number,
  depth: number,
): Found<Handler> | undefined {
  const path = search.path;
  let end = path.indexOf('/', start);
  if (end === -1) end = path.length;
  if (node.statics.size > 0) {
    const child = node.statics.get(path.slice(start, end));
    if (child !== undefined) {
      const found = continueAfter(child, search, end, depth);
      if (found !== undefined) return found;
    }
  }
  const edges = node.params;
  for (let index = 0; index < edges.length; index++) {
    const edge = edges[index]!;
    const found = edge.greedy
      ? matchGreedy(edge, search, start, depth)
      : matchParam(edge, search, start, end, depth);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Continues below `node` after a segment that ended at `end`, or finishes at the path's end. */
function continueAfter<Handler>(
  node: TreeNode<Handler>,
  search: Search<Handler>,
  end: number,
  depth: number,
): Found<Handler> | undefined {
  if (end < search.path.length) return matchSegment(node, search, end + 1, depth);
  const table = node.methods;
  if (table === undefined) return undefined;
  const route = table.lookup(search.method);
  if (route === undefined) {
    search.misses ??= [];
    search.misses.push(table);
    return undefined;
  }
  const names = route.pattern.paramNames;
  const params: Record<string, unknown> = {};
  for (let index = 0; index < depth; index++) params[names[index]!] = search.values[index];
  return { kind: 'found', entry: route.entry, params };
}

/** Converts the text between `from` and `to`; undefined when it does not fit the converter. */
function convert<Handler>(
  edge: ParamEdge<Handler>,
  path: string,
  from: number,
  to: number,
): unknown {
  const text = decodePathText(path.slice(from, to));
  return text === undefined ? undefined : edge.segment.converter.parse(text);
}

function matchParam<Handler>(
  edge: ParamEdge<Handler>,
  search: Search<Handler>,
  start: number,
  end: number,
  depth: number,
): Found<Handler> | undefined {
  const { prefix, suffix } = edge.segment;
  const path = search.path;
  const valueStart = start + prefix.length;
  const valueEnd = end - suffix.length;
  if (valueEnd <= valueStart) return undefined;
  if (prefix.length > 0 && !path.startsWith(prefix, start)) return undefined;
  if (suffix.length > 0 && !path.startsWith(suffix, valueEnd)) return undefined;
  const value = convert(edge, path, valueStart, valueEnd);
  if (value === undefined) return undefined;
  search.values[depth] = value;
  return continueAfter(edge.node, search, end, depth + 1);
}

/** A greedy parameter may span segments: try the longest span first, then shorter ones. */
function matchGreedy<Handler>(
  edge: ParamEdge<Handler>,
  search: Search<Handler>,
  start: number,
  depth: number,
): Found<Handler> | undefined {
  const { prefix, suffix } = edge.segment;
  const path = search.path;
  const valueStart = start + prefix.length;
  if (prefix.length > 0 && !path.startsWith(prefix, start)) return undefined;
  for (
    let end = path.length;
    end - suffix.length > valueStart;
    end = path.lastIndexOf('/', end - 1)
  ) {
    const valueEnd = end - suffix.length;
    if (suffix.length > 0 && !path.startsWith(suffix, valueEnd)) continue;
    const value = convert(edge, path, valueStart, valueEnd);
    if (value === undefined) continue;
    search.values[depth] = value;
    const found = continueAfter(edge.node, search, end, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
