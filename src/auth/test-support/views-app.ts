// An app with the account pages mounted at /accounts/, mail going to the in-memory outbox, and a
// home page; for the tests of authViews().
import type { Carafe } from '../../index.js';
import { mail } from '../../mail/index.js';
import { security } from '../../security/index.js';
import type { TestClient, TestResponse } from '../../testing/index.js';
import { type AuthOptions, type AuthViewsOptions, authViews } from '../index.js';
import { testApp } from './app.js';

export interface ViewsAppOptions {
  readonly views?: AuthViewsOptions;
  readonly auth?: AuthOptions;
  /** List security() (CSRF on). */
  readonly csrf?: boolean;
  readonly templateDirs?: readonly string[];
}

export function viewsApp(options: ViewsAppOptions = {}): Carafe {
  const app = testApp({
    auth: options.auth,
    apps: [...(options.csrf ? [security()] : []), mail()],
    config: {
      mail: { backend: 'memory', from: 'Site <site@example.com>' },
      templates: { dirs: [...(options.templateDirs ?? [])] },
    },
  });
  app.register(authViews(options.views));
  app.get('/', () => 'home', { name: 'home' });
  return app;
}

/** Posts the login form. */
export function logIn(
  client: TestClient,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<TestResponse> {
  return client.post('/accounts/login/', { form: { username, password, ...extra } });
}
