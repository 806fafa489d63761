// Compile-time assertions for type-level tests. Files named `*.typetest.ts` are checked by
// `tsc --noEmit` (part of `npm test`) and never executed.

/** True when A and B are the same type (not merely assignable). */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `expectTrue<Equal<X, Y>>()` fails to compile when the types differ. */
export function expectTrue<_T extends true>(): void {}

/** `expectType<Expected>(value)` fails to compile when `value` is not assignable. */
export function expectType<Expected>(_value: Expected): void {}
