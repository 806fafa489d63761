// What the admin tests share: an admin site with the polls models registered, the project's app
// around it, the real migrations, staff users with chosen permissions, and a test client that
// logs in and carries the CSRF token the way a browser would.
import {
  type AuthUser,
  asAuthUser,
  auth,
  hashPassword,
  login,
  Permission,
  User,
} from '../../auth/index.js';
import { migrate } from '../../db/migrations/index.js';
import { Carafe, type CarafeConfig } from '../../index.js';
import { csrfExempt, security } from '../../security/index.js';
import { messages, sessions } from '../../sessions/index.js';
import { TestClient, type TestResponse } from '../../testing/index.js';
import { type AdminSite, adminSite, inline } from '../index.js';
import { LogEntry } from '../models.js';
import { Category, Choice, Pin, polls, Question, Tag } from './polls.js';

export const password = 'correct horse battery staple';
let hashed: Promise<string> | undefined;

/** The polls models on a fresh admin site, with every kind of option in use. */
export function pollsSite(): AdminSite {
  const site = adminSite();
  site.register(Category, { searchFields: ['name'], ordering: ['name'] });
  site.register(Tag, { searchFields: ['name'] });
  site.register(Question, {
    listDisplay: [
      'text',
      'category',
      'kind',
      'isOpen',
      'pubDate',
      { label: 'Shouted', value: (question) => question.text.toUpperCase(), orderBy: 'text' },
    ],
    listFilter: ['isOpen', 'kind', 'category', 'pubDate'],
    searchFields: ['text', 'category.name'],
    listPerPage: 50,
    fieldsets: [
      { fields: ['text', 'category', 'tags'] },
      { title: 'Date information', fields: ['pubDate', 'isOpen', 'kind'], collapsed: true },
    ],
    inlines: [inline(Choice, { fields: ['text', 'votes'], extra: 3 })],
    actions: [
      {
        name: 'close',
        label: 'Close selected questions',
        async run(req, questions) {
          const closed = await questions.update({ isOpen: false });
          messages.success(req, `Closed ${closed}.`);
        },
      },
    ],
  });
  site.register(Choice, {
    listDisplay: ['text', 'question', 'question.pubDate', 'votes'],
    searchFields: ['text', 'question.text'],
    autocompleteFields: ['question'],
    readonlyFields: ['votes'],
  });
  site.register(Pin);
  return site;
}

/** The polls models with the question's category and tags chosen by searching. */
export function autocompleteSite(): AdminSite {
  const site = adminSite();
  site.register(Category, { searchFields: ['name'] });
  site.register(Tag, { searchFields: ['name'] });
  site.register(Question, { searchFields: ['text'], autocompleteFields: ['category', 'tags'] });
  site.register(Choice, { autocompleteFields: ['question'] });
  return site;
}

export function adminApp(
  site: AdminSite = pollsSite(),
  config: Partial<CarafeConfig> = {},
): Carafe {
  const app = new Carafe({
    secretKey: 'admin-tests-secret-'.repeat(3),
    allowedHosts: ['localhost', '127.0.0.1'],
    log: { level: 'silent' },
    ...config,
    apps: [sessions(), security(), auth(), site, polls],
  });
  // Logs in without a password, to spare the hashing in tests that are not about logging in.
  app.post(
    '/test-login/<username>',
    async (req) => {
      await login(req, asAuthUser(await User.objects.get({ username: req.params.username })));
      return { ok: true };
    },
    { name: 'test_login', middleware: [csrfExempt] },
  );
  return app;
}

/** The tables, through the real migrations (permissions are created after them). */
export async function migrateAdmin(site: AdminSite = pollsSite()): Promise<void> {
  await migrate({ apps: [sessions(), security(), auth(), site, polls], output: () => {} });
}

/** A user whose password is `password`, with these permissions (`'polls.view_question'`). */
export async function makeUser(
  username: string,
  options: { staff?: boolean; superuser?: boolean; permissions?: readonly string[] } = {},
): Promise<AuthUser> {
  hashed ??= hashPassword(password);
  const user = await User.objects.create({
    username,
    password: await hashed,
    isStaff: options.staff ?? true,
    isSuperuser: options.superuser ?? false,
  });
  for (const name of options.permissions ?? []) {
    const [app = '', codename = ''] = name.split('.');
    const found = await Permission.objects.get({ model: { startsWith: `${app}.` }, codename });
    await user.related('userPermissions').add(found);
  }
  return asAuthUser(user);
}

const tokenPattern = /name="csrfmiddlewaretoken" value="([^"]+)"/;

/** A client logged in as `username`, posting forms with the CSRF token of the last page. */
export class AdminClient {
  readonly client: TestClient;
  #token = '';

  constructor(app: Carafe) {
    this.client = new TestClient(app);
  }

  async loginAs(username: string): Promise<this> {
    const res = await this.client.post(`/test-login/${username}`);
    if (res.status !== 200) throw new Error(`test login failed: ${res.status}`);
    return this;
  }

  async get(path: string): Promise<TestResponse> {
    const res = await this.client.get(path);
    this.#token = tokenPattern.exec(res.text)?.[1] ?? this.#token;
    return res;
  }

  /** Posts with the token of the last page fetched (fetching the admin index first if none). */
  async post(path: string, form: Record<string, string | string[]>): Promise<TestResponse> {
    if (this.#token === '') await this.get('/admin/');
    const res = await this.client.post(path, {
      form: { csrfmiddlewaretoken: this.#token, ...form },
    });
    this.#token = tokenPattern.exec(res.text)?.[1] ?? this.#token;
    return res;
  }
}

/** Empties the test polls' tables and the admin history, so each test starts from nothing. */
export async function clearPolls(): Promise<void> {
  await Pin.objects.delete();
  await Choice.objects.delete();
  await Question.objects.delete();
  await Tag.objects.delete();
  await Category.objects.delete();
  await LogEntry.objects.delete();
}

export { Category, Choice, Pin, Question, Tag };
