// MariaDB and MySQL through a mysql2 pool: UTC on both ends, exact decimals and 64-bit
// integers. `mysql2` is loaded on first use, so apps on another dialect never pay for it.
import { MysqlDialect, type MysqlPool } from 'kysely';
import type { PoolOptions, TypeCast } from 'mysql2';
import type { ServerSpec } from './settings.js';
import { exactInteger } from './values.js';

// BIGINT columns (and COUNT(*)) follow the rule of the other dialects: a number when exact, else a bigint.
const typeCast: TypeCast = (field, next) => {
  if (field.type !== 'LONGLONG') return next();
  const text = field.string();
  return text === null ? null : exactInteger(text);
};

async function openPool(
  spec: ServerSpec,
  onBrokenConnection: (error: Error) => void,
): Promise<MysqlPool> {
  const { createPool } = await import('mysql2');
  const where: PoolOptions = spec.host.startsWith('/')
    ? { socketPath: spec.host }
    : { host: spec.host, port: spec.port };
  const pool = createPool({
    ...where,
    user: spec.user,
    password: spec.password,
    database: spec.database,
    connectionLimit: spec.max,
    maxIdle: spec.max,
    idleTimeout: spec.idleTimeoutMs,
    connectTimeout: spec.connectTimeoutMs,
    ssl: spec.tls === false ? undefined : { rejectUnauthorized: spec.tls === 'verify' },
    charset: 'utf8mb4',
    // Dates are written and read as UTC; DATE columns stay 'YYYY-MM-DD' (a day, not an instant).
    timezone: 'Z',
    dateStrings: ['DATE'],
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    typeCast,
  });
  // TIMESTAMP columns and NOW() follow the session zone; the command queues ahead of the first query.
  pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'", (error) => {
      if (error) onBrokenConnection(error);
    });
  });
  return pool;
}

/** The pool is created on the first query. */
export function createMysql(
  spec: ServerSpec,
  onBrokenConnection: (error: Error) => void,
): MysqlDialect {
  return new MysqlDialect({ pool: () => openPool(spec, onBrokenConnection) });
}
