// 'carafe/sessions': `req.session` on signed cookies, the database or Redis, and one-time messages.
export { type SessionsOptions, sessions } from './app.js';
export { type ClearExpiredSessionsOptions, clearExpiredSessions } from './clear-expired.js';
export { type DatabaseSessionsOptions, databaseSessions } from './database-store.js';
export { Message, type MessageLevel, MessageList, messageLevels, messages } from './messages.js';
export { SessionModel } from './models.js';
export { type RedisSessionsOptions, redisSessions } from './redis-store.js';
export { Session, type SessionValue, type SessionValues } from './session.js';
export type { SessionStore, StoredSession } from './store.js';
