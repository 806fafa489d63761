// Enough of a browser's cookie store for tests: remembers Set-Cookie, honours expiry and Path.

interface StoredCookie {
  value: string;
  path: string;
  expires: number | undefined;
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  get(name: string): string | undefined {
    const cookie = this.#cookies.get(name);
    if (cookie === undefined) return undefined;
    if (cookie.expires !== undefined && cookie.expires <= Date.now()) {
      this.#cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  set(name: string, value: string, path = '/'): void {
    this.#cookies.set(name, { value, path, expires: undefined });
  }

  delete(name: string): void {
    this.#cookies.delete(name);
  }

  clear(): void {
    this.#cookies.clear();
  }

  /** Remembers each `Set-Cookie` value of a response. */
  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expires: number | undefined;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const attrValue = rest.join('=').trim();
        switch (key.trim().toLowerCase()) {
          case 'path':
            path = attrValue || '/';
            break;
          case 'max-age':
            expires = Date.now() + Number(attrValue) * 1000;
            break;
          case 'expires':
            expires ??= Date.parse(attrValue);
            break;
        }
      }
      if (expires !== undefined && expires <= Date.now()) this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path, expires });
    }
  }

  /** The `Cookie` header for a request to `path`, or undefined when nothing applies. */
  headerFor(path: string): string | undefined {
    const pairs: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (!path.startsWith(cookie.path)) continue;
      if (this.get(name) !== undefined) pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}
