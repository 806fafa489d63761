import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { Carafe, type JsonValue } from '../index.js';
import { type Session, sessions } from './index.js';

declare module './index.js' {
  interface SessionValues {
    typetestCart: number[];
  }
}

const app = new Carafe({ apps: [sessions()] });

app.get(
  '/',
  (req) => {
    expectTrue<Equal<typeof req.session, Session>>();
    const cart = req.session.get('typetestCart');
    expectTrue<Equal<typeof cart, number[] | undefined>>();
    req.session.set('typetestCart', [1, 2]);
    // @ts-expect-error a declared key takes its declared type
    req.session.set('typetestCart', 'three');
    const other = req.session.get('anything');
    expectTrue<Equal<typeof other, JsonValue | undefined>>();
    req.session.set('anything', { nested: [1, 'two', null] });
    // @ts-expect-error undeclared keys hold JSON only
    req.session.set('anything', new Date());
    // @ts-expect-error undefined is not JSON; use delete()
    req.session.set('anything', undefined);
    return 'ok';
  },
  { name: 'home' },
);
