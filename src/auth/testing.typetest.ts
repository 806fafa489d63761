// The testing guide's examples, type-checked: forceLogin takes a user row as queries and
// createUser return it, inRequest returns what its callback returns, and nothing needs a cast.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { Carafe, type JsonValue } from '../index.js';
import { sessions } from '../sessions/index.js';
import { TestClient } from '../testing/index.js';
import { auth, createUser, forceLogin, forceLogout, User } from './index.js';

const client = new TestClient(new Carafe({ apps: [sessions(), auth()] }));

export async function examples(): Promise<void> {
  await forceLogin(client, await User.objects.get({ username: 'ada' }));
  await forceLogin(client, await createUser({ username: 'grace', password: 'x' }));
  await forceLogin(client, await createUser({ username: 'boss', password: null, isStaff: true }));
  await forceLogout(client);
  await client.inRequest((req) => {
    req.session.set('cart', [3, 7]);
  });

  const username = await client.inRequest((req) => req.user.username);
  expectTrue<Equal<typeof username, string>>();
  const visits = await client.inRequest(async (req) => req.session.get('visits'), {
    path: '/shop/',
  });
  expectTrue<Equal<typeof visits, JsonValue | undefined>>();

  // @ts-expect-error a user row, not a name
  await forceLogin(client, 'ada');
  // @ts-expect-error forceLogout takes only the client
  await forceLogout(client, await User.objects.get({ username: 'ada' }));
}
