// Type-level tests for ParamsOf: what each pattern gives a handler's `req.params`.
import { type Equal, expectTrue, expectType } from '../../../test/support/type-assert.js';
import type { Converter, ParamsOf } from './index.js';

// A custom converter's type comes from merging into ConverterTypes, as users do with
// `declare module 'carafe'`; inside the repository the module is this folder's types file.
declare module './types.js' {
  interface ConverterTypes {
    yearOfTypetest: number;
  }
}

// Every built-in converter.
expectTrue<Equal<ParamsOf<'/<int:id>'>, { id: number }>>();
expectTrue<Equal<ParamsOf<'/<float:x>'>, { x: number }>>();
expectTrue<Equal<ParamsOf<'/<str:s>'>, { s: string }>>();
expectTrue<Equal<ParamsOf<'/<slug:s>'>, { s: string }>>();
expectTrue<Equal<ParamsOf<'/<uuid:u>'>, { u: string }>>();
expectTrue<Equal<ParamsOf<'/<path:p>'>, { p: string }>>();

// A bare name is a str.
expectTrue<Equal<ParamsOf<'/users/<username>/'>, { username: string }>>();

// Several params, with literal text around them.
expectTrue<
  Equal<
    ParamsOf<'/polls/<int:id>/v<int:version>/<slug:slug>/<name>.txt'>,
    { id: number; version: number; slug: string; name: string }
  >
>();

// No params at all: exactly the empty object type.
// biome-ignore lint/complexity/noBannedTypes: `{}` is the type under test
type NoParams = {};
expectTrue<Equal<ParamsOf<'/'>, NoParams>>();
expectTrue<Equal<ParamsOf<'/polls/results/'>, NoParams>>();

// A pattern only known as `string` gives a loose record.
expectTrue<Equal<ParamsOf<string>, Record<string, unknown>>>();

// Custom converters take the type declared for them; undeclared ones give `unknown`.
expectTrue<Equal<ParamsOf<'/archive/<yearOfTypetest:year>/'>, { year: number }>>();
expectTrue<Equal<ParamsOf<'/x/<undeclared:value>'>, { value: unknown }>>();

// A converter's parse/format agree with its declared type.
const yearConverter: Converter<number> = {
  parse: (raw) => (/^\d{4}$/.test(raw) ? Number(raw) : undefined),
  format: (value) => String(value),
};
expectType<Converter<number>>(yearConverter);

// Misuse does not compile.
declare const detail: ParamsOf<'/polls/<int:id>/'>;
expectType<number>(detail.id);
// @ts-expect-error an int param is a number, not a string
expectType<string>(detail.id);
// @ts-expect-error the pattern has no `slug` param
detail.slug;

declare const archive: ParamsOf<'/archive/<yearOfTypetest:year>/<slug>'>;
expectType<string>(archive.slug);
// @ts-expect-error a custom converter's declared type is kept (number, not string)
expectType<string>(archive.year);

const badConverter: Converter<number> = {
  // @ts-expect-error parse must give the converter's type (or undefined)
  parse: (raw: string) => raw,
  format: (value) => String(value),
};
expectType<Converter<number>>(badConverter);
