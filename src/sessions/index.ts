// 'carafe/sessions': `req.session` on signed cookies or Redis, and one-time messages.
export { type SessionsOptions, sessions } from './app.js';
export { Message, type MessageLevel, MessageList, messageLevels, messages } from './messages.js';
export { type RedisSessionsOptions, redisSessions } from './redis-store.js';
export { Session, type SessionValue, type SessionValues } from './session.js';
export type { SessionStore, StoredSession } from './store.js';
