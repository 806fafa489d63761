// Decides which driver errors mean "the connection is gone" and wraps them in one error code,
// so callers can tell a dead connection from a bad query on every dialect.
import { CarafeError } from '../../index.js';
import type { Dialect } from './settings.js';

const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT', // a Unix socket path that does not exist
]);

// SQLSTATE class 08 (connection exception) and the 57P0x "server is going away" codes.
const postgresCodes = /^(08...|57P01|57P02|57P03)$/;

// Messages pg raises itself, without a SQLSTATE, when a client's socket is gone.
const postgresMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout expired', // connectionTimeoutMillis while opening
];

function field(error: object, name: string): unknown {
  return name in error ? Reflect.get(error, name) : undefined;
}

export function isConnectionError(dialect: Dialect, error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = field(error, 'code');
  if (typeof code === 'string' && socketCodes.has(code)) return true;
  if (dialect === 'postgres') {
    if (typeof code === 'string' && postgresCodes.test(code)) return true;
    const message = field(error, 'message');
    return typeof message === 'string' && postgresMessages.some((text) => message.startsWith(text));
  }
  if (dialect === 'mysql') {
    // mysql2 marks errors after which the connection cannot be used again as fatal.
    return field(error, 'fatal') === true;
  }
  return false;
}

export function connectionError(
  database: string,
  dialect: Dialect,
  location: string,
  cause: unknown,
): CarafeError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CarafeError(
    'CARAFE_DB_CONNECTION',
    `The connection to database "${database}" (${location}) failed: ${detail}. ` +
      `Check that the ${dialect} server is running and the URL is right; the pool opens a new ` +
      'connection for the next query, so retry the work if it is safe to repeat.',
    { cause },
  );
}

export function closedError(database: string): CarafeError {
  return new CarafeError(
    'CARAFE_DB_CLOSED',
    `Database "${database}" has been closed. Call configureDatabases() again (or use a new Database) ` +
      'before running more queries.',
  );
}
