// Type-level tests for what the app infers: handler params from patterns, typed urlFor.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { Blueprint, Carafe, type RequestFor, View } from '../index.js';

const app = new Carafe({ debug: true });
const polls = new Blueprint('polls', { prefix: '/polls' });

const detail = polls.get('/<int:id>/<slug:slug>/', (req) => {
  expectTrue<Equal<typeof req.params, { id: number; slug: string }>>();
  // @ts-expect-error an int param is a number, not a string
  req.params.id.toUpperCase();
  return { id: req.params.id };
}, { name: 'detail' });

const index = polls.get('/', (req) => {
  expectTrue<Equal<typeof req.params, {}>>();
  req.urlFor(detail, { id: 1, slug: 'a' });
  // @ts-expect-error id must be a number
  req.urlFor(detail, { id: '1', slug: 'a' });
  // @ts-expect-error slug is missing
  req.urlFor(detail, { id: 1 });
  // @ts-expect-error params are required when the pattern has some
  req.urlFor(detail);
  req.urlFor(index);
  // Names stay loose strings until a project declares RouteNames.
  req.urlFor('polls.detail', { id: 1, slug: 'a' });
  return 'ok';
}, { name: 'index' });

app.register(polls);
app.urlFor(detail, { id: 2, slug: 'b' });
// @ts-expect-error unknown param type
app.urlFor(detail, { id: null, slug: 'b' });

app.post('/files/<path:rest>', (req) => {
  expectTrue<Equal<typeof req.params.rest, string>>();
  return 'ok';
}, { name: 'files' });

class Item extends View<'/items/<uuid:key>/'> {
  override get(req: RequestFor<'/items/<uuid:key>/'>) {
    expectTrue<Equal<typeof req.params, { key: string }>>();
    return 'ok';
  }
}
app.view('/items/<uuid:key>/', Item, { name: 'item' });
// @ts-expect-error the view's pattern and the route's pattern disagree
app.view('/items/<int:other>/', Item, { name: 'item2' });
