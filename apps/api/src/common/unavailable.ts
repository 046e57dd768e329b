/** Socket errors that mean a dependency could not be reached, whichever client saw them. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const NETWORK_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_CODES].join('|')})\\b`);

/**
 * PostgreSQL states of a server that is going away or cannot take the connection:
 * class 08 (connection exception), admin/crash shutdown, starting up, too many connections.
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

/** Errors of node-postgres and ioredis that carry no code but mean the connection is gone. */
const CONNECTION_LOST = [
  'Connection terminated', // pg: the server closed the connection
  'timeout exceeded when trying to connect', // pg-pool: no connection within connectionTimeoutMillis
  'Connection is closed.', // ioredis: the command was sent on a closed connection
];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether an error means that PostgreSQL, Redis or storage is unreachable or refusing
 * work for now, so the request may succeed if retried: answered 503 with Retry-After,
 * not 500. Looks through `cause` chains, as clients wrap what the socket reported.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as ErrorLike;
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    // The AWS SDK keeps only the message of a socket error from another realm ("… connect ECONNREFUSED …").
    if (NETWORK_IN_MESSAGE.test(message)) return true;
    // ioredis gave up on a command while the server was away (maxRetriesPerRequest).
    if (e.name === 'MaxRetriesPerRequestError') return true;
    if (CONNECTION_LOST.some((text) => message.startsWith(text))) return true;
    // The S3 server answered 5xx (SlowDown, ServiceUnavailable, InternalError): its side, for now.
    const status = e.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 500) return true;
    current = e.cause;
  }
  return false;
}
