// Sessions in a database table through the ORM: the cookie holds a random id, the row the data
// and the instant it expires. Expired rows are ignored on read and deleted by
// `clearExpiredSessions()`, which a scheduled job runs (the database does not forget by itself).
import { SessionModel } from './models.js';
import {
  isSessionId,
  newSessionId,
  parseStoredSession,
  type SessionStore,
  type StoredSession,
} from './store.js';

export interface DatabaseSessionsOptions {
  /** The configured database to keep sessions in; defaults to `default`. */
  using?: string;
}

/** A session store on the database: `sessions({ backend: databaseSessions() })`. */
export function databaseSessions(options: DatabaseSessionsOptions = {}): SessionStore {
  return new DatabaseSessionStore(options.using ?? 'default');
}

function expiresAt(ttlSeconds: number): Date {
  return new Date(Date.now() + ttlSeconds * 1000);
}

class DatabaseSessionStore implements SessionStore {
  readonly #using: string;

  constructor(using: string) {
    this.#using = using;
  }

  #rows() {
    return SessionModel.objects.using(this.#using);
  }

  // Every method checks the id's shape first, so a forged cookie never reaches a query.
  async load(id: string): Promise<StoredSession | undefined> {
    if (!isSessionId(id)) return undefined;
    const [json] = await this.#rows()
      .filter({ key: id, expiresAt: { gt: new Date() } })
      .valuesList('data', { flat: true });
    return json === undefined ? undefined : parseStoredSession(json);
  }

  async save(id: string, session: StoredSession, ttlSeconds: number): Promise<void> {
    if (!isSessionId(id)) return;
    // An UPDATE only: a row deleted meanwhile (logout in another tab, an expiry sweep) stays
    // deleted instead of being brought back by a request that started before.
    await this.#rows()
      .filter({ key: id })
      .update({ data: JSON.stringify(session), expiresAt: expiresAt(ttlSeconds) });
  }

  async create(session: StoredSession, ttlSeconds: number): Promise<string> {
    const key = newSessionId();
    // 192 random bits make a collision practically impossible; the primary key makes adopting
    // another visitor's row impossible (the INSERT would fail rather than overwrite).
    await this.#rows().create({
      key,
      data: JSON.stringify(session),
      expiresAt: expiresAt(ttlSeconds),
    });
    return key;
  }

  async delete(id: string): Promise<void> {
    if (!isSessionId(id)) return;
    await this.#rows().filter({ key: id }).delete();
  }

  async exists(id: string): Promise<boolean> {
    if (!isSessionId(id)) return false;
    return this.#rows()
      .filter({ key: id, expiresAt: { gt: new Date() } })
      .exists();
  }
}
