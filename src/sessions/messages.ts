// One-time notices ("Saved.", "Wrong password.") carried in the session to the next page shown,
// as Django's messages framework: added by one request, read and removed by the one that shows them.
import { CarafeError, type HttpRequest } from '../index.js';
import { Session } from './session.js';

export const messageLevels = ['debug', 'info', 'success', 'warning', 'error'] as const;
export type MessageLevel = (typeof messageLevels)[number];

export class Message {
  readonly level: MessageLevel;
  readonly text: string;
  constructor(level: MessageLevel, text: string) {
    this.level = level;
    this.text = text;
  }

  /** Templates print a message as its text: `{{ message }}`. */
  toString(): string {
    return this.text;
  }
}

const sessionKey = '_messages';

function sessionOf(req: HttpRequest): Session {
  if (!(req.session instanceof Session)) {
    throw new CarafeError(
      'CARAFE_MESSAGES_NEED_SESSIONS',
      'Messages are kept in the session: add sessions() to config.apps (before any app that adds messages).',
    );
  }
  return req.session;
}

function stored(session: Session): Message[] {
  const raw = session.get(sessionKey);
  if (!Array.isArray(raw)) return [];
  const out: Message[] = [];
  for (const entry of raw) {
    if (!Array.isArray(entry)) continue;
    const [level, text] = entry;
    if (typeof text === 'string' && isLevel(level)) out.push(new Message(level, text));
  }
  return out;
}

function isLevel(value: unknown): value is MessageLevel {
  return messageLevels.some((level) => level === value);
}

function add(req: HttpRequest, level: MessageLevel, text: string): void {
  if (!isLevel(level)) {
    throw new CarafeError(
      'CARAFE_MESSAGE_LEVEL',
      `Unknown message level ${JSON.stringify(level)}: use one of ${messageLevels.join(', ')}.`,
    );
  }
  if (typeof text !== 'string') {
    throw new CarafeError('CARAFE_MESSAGE_TEXT', `A message is text; got ${typeof text}.`);
  }
  const session = sessionOf(req);
  // As Django's default level (INFO): debug messages are for development only.
  if (level === 'debug' && !req.isDebug) return;
  const list = stored(session).map((message): [string, string] => [message.level, message.text]);
  list.push([level, text]);
  session.set(sessionKey, list);
}

/** Messages waiting for `req`'s visitor, removed from the session: each is shown once. */
function get(req: HttpRequest): Message[] {
  const session = sessionOf(req);
  if (!session.has(sessionKey)) return [];
  const list = stored(session);
  session.delete(sessionKey);
  return list;
}

/** The waiting messages without removing them. */
function peek(req: HttpRequest): Message[] {
  return stored(sessionOf(req));
}

export const messages = {
  add,
  get,
  peek,
  debug: (req: HttpRequest, text: string): void => add(req, 'debug', text),
  info: (req: HttpRequest, text: string): void => add(req, 'info', text),
  success: (req: HttpRequest, text: string): void => add(req, 'success', text),
  warning: (req: HttpRequest, text: string): void => add(req, 'warning', text),
  error: (req: HttpRequest, text: string): void => add(req, 'error', text),
};

/**
 * What templates see as `messages`: iterating it (`{% for m in messages %}`) takes the messages
 * out of the session, so a page that does not show them leaves them for the next one.
 */
export class MessageList implements Iterable<Message> {
  readonly #req: HttpRequest;
  #taken: Message[] | undefined;

  constructor(req: HttpRequest) {
    this.#req = req;
  }

  [Symbol.iterator](): Iterator<Message> {
    this.#taken ??= hasSession(this.#req) ? get(this.#req) : [];
    return this.#taken[Symbol.iterator]();
  }

  /** How many messages there are, without taking them: `{% if messages.length %}`. */
  get length(): number {
    if (this.#taken !== undefined) return this.#taken.length;
    return hasSession(this.#req) ? peek(this.#req).length : 0;
  }
}

function hasSession(req: HttpRequest): boolean {
  return req.session instanceof Session;
}
