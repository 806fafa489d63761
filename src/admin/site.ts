// The admin site: an app (list it in `config.apps`) with its routes under `/admin/`, its
// templates, static files, the LogEntry model and its migration, and the registry of models.
import type { AnyModel } from '../db/index.js';
import { type Blueprint, type Carafe, CarafeError } from '../index.js';
import { assetFolder } from './assets.js';
import { ModelAdmin } from './model-admin.js';
import { LogEntry } from './models.js';
import type { ModelAdminOptions } from './options.js';
import { type AdminRoutes, adminRoutes } from './routes.js';

export interface AdminSiteOptions {
  /** Where the admin is mounted; `/admin` by default. */
  readonly prefix?: string;
  /** The heading of every page; "Carafe administration" by default. */
  readonly header?: string;
  /** The index page's title; "Site administration" by default. */
  readonly title?: string;
  /** The "View site" link; `/` by default, `null` for none. */
  readonly siteUrl?: string | null;
}

const neededApps = [
  ['carafe.sessions', 'sessions()'],
  ['carafe.security', 'security()'],
  ['carafe.auth', 'auth()'],
] as const;

export class AdminSite {
  readonly name = 'carafe.admin';
  readonly header: string;
  readonly title: string;
  readonly siteUrl: string | null;
  readonly models = [LogEntry];
  readonly migrations = new URL('./migrations/', import.meta.url);
  readonly templates = assetFolder('templates');
  readonly static = assetFolder('static');
  readonly routes: Blueprint;
  /** The site's routes, to reverse with `req.urlFor(route, params)`. */
  readonly urls: AdminRoutes;
  readonly #registry = new Map<string, ModelAdmin>();

  constructor(options: AdminSiteOptions = {}) {
    this.header = options.header ?? 'Carafe administration';
    this.title = options.title ?? 'Site administration';
    this.siteUrl = options.siteUrl === undefined ? '/' : options.siteUrl;
    this.urls = adminRoutes(this, options.prefix ?? '/admin');
    this.routes = this.urls.blueprint;
  }

  /**
   * Adds a model to the admin: `admin.register(Question, { listDisplay: ['text', 'pubDate'] })`.
   * Every option is checked against the model's fields now.
   */
  register<M extends AnyModel>(model: M, options: ModelAdminOptions<M> = {}): this {
    if (typeof model?.meta !== 'object') {
      throw new CarafeError(
        'CARAFE_ADMIN_OPTION',
        'admin.register() takes a model made with model().',
      );
    }
    const admin = new ModelAdmin(model, options as unknown as ModelAdminOptions<AnyModel>);
    const key = `${admin.appLabel}.${admin.modelName}`;
    if (this.#registry.has(key)) {
      throw new CarafeError(
        'CARAFE_ADMIN_ALREADY_REGISTERED',
        `${model.meta.label} is registered with this admin site already; register each model once.`,
      );
    }
    this.#registry.set(key, admin);
    return this;
  }

  /** Whether `model` is registered. */
  isRegistered(model: AnyModel): boolean {
    return [...this.#registry.values()].some((admin) => admin.model === model);
  }

  /** The registration of `app.model` (lower case, as in URLs), if any. */
  modelAdmin(app: string, model: string): ModelAdmin | undefined {
    return this.#registry.get(`${app}.${model}`);
  }

  /** The registration of a model class, if any. */
  adminOf(model: AnyModel): ModelAdmin | undefined {
    return [...this.#registry.values()].find((admin) => admin.model === model);
  }

  /** Every registration, by app label then model name. */
  get registered(): ModelAdmin[] {
    return [...this.#registry.values()].sort(
      (a, b) => a.appLabel.localeCompare(b.appLabel) || a.modelName.localeCompare(b.modelName),
    );
  }

  setup(app: Carafe): void {
    const missing = neededApps.filter(([name]) => !app.apps.some((entry) => entry.name === name));
    if (missing.length > 0) {
      throw new CarafeError(
        'CARAFE_ADMIN_SETUP',
        `The admin needs ${missing.map(([, call]) => call).join(', ')} listed before it in config.apps: ` +
          'sessions keep the login, security() puts a CSRF token in every admin form, auth checks ' +
          'staff status and permissions. Example: apps: [sessions(), security(), auth(), admin, …].',
      );
    }
  }
}

/** A new admin site; most projects use the default one, `admin`. */
export function adminSite(options: AdminSiteOptions = {}): AdminSite {
  return new AdminSite(options);
}
