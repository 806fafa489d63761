// API tokens for scripts: `Authorization: Bearer cft_<prefix>_<secret>`. The prefix finds the
// row; only a SHA-256 of the secret is stored, so a leaked table gives no usable token.
//
// Why SHA-256 and not scrypt as for passwords: the secret is 32 random bytes (256 bits). A slow
// hash protects low-entropy secrets people choose, by making each guess expensive; against 2^256
// possibilities even a fast hash leaves guessing hopeless, and a slow one would add a few hundred
// milliseconds of CPU to every API request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Instance, isInstance } from '../db/index.js';
import { CarafeError, HttpError, type HttpRequest, type Middleware } from '../index.js';
import { csrfExemptWhen } from '../security/index.js';
import { setRequestUser } from './login.js';
import { Token, userModel } from './models.js';
import { type AuthUser, asAuthUser } from './user.js';
import type { UserRow } from './user-model.js';

/** A row of `auth.Token`. */
export type ApiToken = Instance<typeof Token>;

export interface CreateTokenOptions {
  /** What the token is for (`'deploy script'`), shown when listing tokens. */
  readonly name?: string;
  /** Seconds until the token stops working; never by default. */
  readonly expiresIn?: number | null;
  /** The database to save to; `default` when omitted. */
  readonly using?: string;
}

export interface CreatedToken {
  /** The saved row (holding only a hash of the secret). */
  readonly token: ApiToken;
  /** The token to give the script: shown once, never stored, not recoverable. */
  readonly key: string;
}

const keyPattern = /^cft_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** `lastUsed` is written at most this often, so busy scripts do not write on every request. */
const lastUsedInterval = 60_000;

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function userRow(user: unknown): UserRow {
  // The model `Token.user` points at: the project's user model (see `userModel`).
  const model = userModel();
  if (!(user instanceof (model as unknown as abstract new () => UserRow))) {
    throw new CarafeError(
      'CARAFE_AUTH_TOKEN_USER',
      `createToken(user) takes a saved row of the user model, ${model.meta.label}: API tokens point at it.` +
        (isInstance(user)
          ? ` Got a row of ${String(Reflect.get(user.constructor, 'label'))}; if that is your user ` +
            'model, pass it to auth({ userModel }) before anything queries the database.'
          : ''),
    );
  }
  return user;
}

/**
 * Creates an API token for `user` and returns the row with the plain token (`key`), which is
 * shown only now: `const { key } = await createToken(user, { name: 'backup', expiresIn: 86400 * 90 })`.
 */
export async function createToken(
  user: UserRow,
  options: CreateTokenOptions = {},
): Promise<CreatedToken> {
  const owner = userRow(user);
  if (owner.isNew) {
    throw new CarafeError('CARAFE_AUTH_TOKEN_USER', 'createToken(user) needs a saved user.');
  }
  const expiresIn = options.expiresIn ?? null;
  if (expiresIn !== null && (!Number.isFinite(expiresIn) || expiresIn <= 0)) {
    throw new CarafeError(
      'CARAFE_AUTH_OPTION',
      `createToken({ expiresIn }) takes seconds above 0 or null, got ${String(expiresIn)}.`,
    );
  }
  // 64 bits of prefix make a clash between two tokens of one site practically impossible.
  const prefix = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const token = new Token({
    user: owner,
    name: options.name ?? '',
    prefix,
    secretHash: digest(secret).toString('hex'),
    expires: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1000),
  });
  await token.save({ using: options.using });
  return { token, key: `cft_${prefix}_${secret}` };
}

/** The row of a well-formed key whose secret matches, whatever its expiry; else `null`. */
async function findToken(key: string, using: string | undefined) {
  const match = keyPattern.exec(key);
  if (match === null) return null;
  const [, prefix, secret] = match as unknown as [string, string, string];
  const objects = using === undefined ? Token.objects : Token.objects.using(using);
  const token = await objects.select('user').filter({ prefix }).first();
  if (token === null) return null;
  const stored = Buffer.from(token.secretHash, 'hex');
  const given = digest(secret);
  return stored.length === given.length && timingSafeEqual(stored, given) ? token : null;
}

/**
 * Deletes a token, given its row or its plain key; resolves to whether one was deleted. A key
 * that matches no token (or a wrong secret for a known prefix) deletes nothing.
 */
export async function revokeToken(
  token: ApiToken | string,
  options: { readonly using?: string } = {},
): Promise<boolean> {
  const row = typeof token === 'string' ? await findToken(token, options.using) : token;
  if (row === null) return false;
  const objects = options.using === undefined ? Token.objects : Token.objects.using(options.using);
  return (await objects.filter({ id: row.id }).delete()).total > 0;
}

/** The user a plain key belongs to, if it is valid now (not expired, user active), with the row. */
export async function authenticateToken(
  key: string,
  options: { readonly using?: string } = {},
): Promise<{ readonly user: AuthUser; readonly token: ApiToken } | null> {
  const token = await findToken(key, options.using);
  if (token === null) return null;
  const now = new Date();
  if (token.expires !== null && token.expires.getTime() <= now.getTime()) return null;
  const user = token.user;
  if (!user.isActive) return null;
  if (token.lastUsed === null || now.getTime() - token.lastUsed.getTime() >= lastUsedInterval) {
    const objects =
      options.using === undefined ? Token.objects : Token.objects.using(options.using);
    await objects.filter({ id: token.id }).update({ lastUsed: now });
    token.lastUsed = now;
  }
  return { user: asAuthUser(user), token };
}

const requestTokens = new WeakMap<HttpRequest, ApiToken>();

/** The API token that authenticated this request (through `tokenAuth()`), if one did. */
export function requestToken(req: HttpRequest): ApiToken | undefined {
  return requestTokens.get(req);
}

/** `Bearer <token>`: the scheme is case-insensitive (RFC 9110), the token one word. */
const bearerScheme = /^Bearer(?:[ \t]|$)/i;

/**
 * A request that names a bearer token and sends no cookie cannot come from a forged page: a
 * browser never adds an `Authorization: Bearer` header by itself (a cross-site script needs
 * the site's CORS consent to set it), and without cookies nothing of the visitor's session
 * rides along. A request that also sends cookies stays checked, since its session is at stake.
 */
function bearerWithoutCookies(req: HttpRequest): boolean {
  const header = req.header('authorization');
  return header !== undefined && bearerScheme.test(header) && req.header('cookie') === undefined;
}

function invalidToken(): HttpError {
  return new HttpError(401, 'The API token is invalid, revoked or expired.', {
    code: 'CARAFE_AUTH_INVALID_TOKEN',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });
}

/**
 * Middleware that logs a request in by its `Authorization: Bearer <token>` header: `req.user`
 * becomes the token's user for that request (no session is made). A token that is unknown,
 * revoked or expired, or whose user is inactive, gets a 401; requests without the header are
 * left as they are. Put it on the API's blueprint (or the app); there, requests with a bearer
 * token and no cookie skip CSRF checks.
 */
export function tokenAuth(options: { readonly using?: string } = {}): Middleware {
  const middleware: Middleware = async (req, next) => {
    const header = req.header('authorization');
    // Other schemes (Basic, for one) are someone else's business.
    if (header === undefined || !bearerScheme.test(header)) return next();
    const found = await authenticateToken(header.slice(6).trim(), options);
    if (found === null) throw invalidToken();
    requestTokens.set(req, found.token);
    setRequestUser(req, found.user);
    return next();
  };
  return csrfExemptWhen(middleware, bearerWithoutCookies);
}
