// The router's public surface: everything outside this folder imports from here.
export { builtinConverters } from './converters.js';
export { Router, type RouterOptions } from './router.js';
export type {
  Converter,
  ConverterTypes,
  ParamsOf,
  ReverseOptions,
  RouteEntry,
  RouteMatch,
} from './types.js';
