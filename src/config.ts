import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SESSION_IDLE_MINUTES } from './operators/sessions.js';
import { DEFAULT_WEBHOOK_SETTINGS, parseRetrySchedule, type WebhookSettings } from './webhooks/settings.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database in `dataDir` is used. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly adminToken: string;
  /** True when the admin token was generated for this run rather than configured. */
  readonly adminTokenGenerated: boolean;
  readonly logLevel: string;
  readonly limits: ServerLimits;
  /** pg pool: connect and per-statement timeouts (PostgreSQL only). */
  readonly databaseConnectTimeoutMs: number;
  readonly databaseStatementTimeoutMs: number;
  /** How many days the change log keeps events. */
  readonly changeRetentionDays: number;
  /** How long a graceful stop may take before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /** Webhook delivery: retry schedule, attempt timeout, whether loopback endpoints are allowed. */
  readonly webhooks: Pick<WebhookSettings, 'retryScheduleMs' | 'timeoutMs' | 'allowLoopback'>;
  /** Operator sessions: minutes of inactivity that end one, and whether the cookie is Secure on plain HTTP too. */
  readonly sessions: { readonly idleMinutes: number; readonly secureCookies: boolean };
}

/** What one client may hold or spend of the server (see docs/operations.md). */
export interface ServerLimits {
  /** The whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** A connection silent this long is closed. */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at once; more are refused, so file descriptors stay for the database. */
  readonly maxConnections: number;
  /** Integration API requests per minute per token (0: unlimited); an integration may set its own. */
  readonly perTokenPerMinute: number;
  /** Failed sign-ins per minute per address before the address is refused (0: unlimited). */
  readonly authFailuresPerMinute: number;
  /**
   * Whether X-Forwarded-For names the client (behind a reverse proxy): true trusts any proxy,
   * text lists the proxies' addresses or ranges (`10.0.0.1,192.168.0.0/16`).
   */
  readonly trustProxy: boolean | string;
}

/** File descriptors kept back from client connections: the database pool, data files, logs. */
const RESERVED_DESCRIPTORS = 128;

/** The process's open-file limit where the system tells it (Linux), else undefined. */
function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 72_000,
  maxConnections: Math.max(64, Math.min(10_000, (openFileLimit() ?? 10_000 + RESERVED_DESCRIPTORS) - RESERVED_DESCRIPTORS)),
  perTokenPerMinute: 3_000,
  authFailuresPerMinute: 30,
  trustProxy: false,
});

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 0): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new ConfigError(`${name} must be a whole number of at least ${minimum}, got "${text}"`);
  return value;
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function retryScheduleSetting(env: NodeJS.ProcessEnv): readonly number[] {
  const text = env.WEBHOOK_RETRY_SCHEDULE?.trim();
  if (text === undefined || text === '') return DEFAULT_WEBHOOK_SETTINGS.retryScheduleMs;
  const schedule = parseRetrySchedule(text);
  if (typeof schedule === 'string') throw new ConfigError(`WEBHOOK_RETRY_SCHEDULE must be comma-separated waits such as 0,5s,5m,30m,2h: ${schedule}`);
  return Object.freeze(schedule);
}

function trustProxySetting(text: string | undefined): boolean | string {
  const value = text?.trim();
  if (value === undefined || value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

/**
 * Reads the environment once, fails fast on a bad value, and returns a frozen config.
 * `requireAdminToken` is false only for the demo, which generates one and prints it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { requireAdminToken?: boolean } = {}): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const configuredAdminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (configuredAdminToken !== undefined && configuredAdminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN must be at least 16 characters long');
  }
  if (configuredAdminToken === undefined && options.requireAdminToken !== false) {
    throw new ConfigError('ADMIN_TOKEN is required (the demo generates one; "serve" does not run without it)');
  }
  return Object.freeze({
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    adminToken: configuredAdminToken ?? randomBytes(24).toString('hex'),
    adminTokenGenerated: configuredAdminToken === undefined,
    logLevel,
    limits: Object.freeze({
      requestTimeoutMs: integerSetting(env, 'REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, 1),
      headersTimeoutMs: integerSetting(env, 'HEADERS_TIMEOUT_MS', DEFAULT_LIMITS.headersTimeoutMs, 1),
      idleTimeoutMs: integerSetting(env, 'IDLE_TIMEOUT_MS', DEFAULT_LIMITS.idleTimeoutMs, 1),
      keepAliveTimeoutMs: integerSetting(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULT_LIMITS.keepAliveTimeoutMs, 1),
      maxConnections: integerSetting(env, 'MAX_CONNECTIONS', DEFAULT_LIMITS.maxConnections, 1),
      perTokenPerMinute: integerSetting(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_LIMITS.perTokenPerMinute),
      authFailuresPerMinute: integerSetting(env, 'AUTH_FAILURES_PER_MINUTE', DEFAULT_LIMITS.authFailuresPerMinute),
      trustProxy: trustProxySetting(env.TRUST_PROXY),
    }),
    databaseConnectTimeoutMs: integerSetting(env, 'DATABASE_CONNECT_TIMEOUT_MS', 10_000, 1),
    databaseStatementTimeoutMs: integerSetting(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 60_000, 1),
    shutdownTimeoutMs: integerSetting(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 1),
    changeRetentionDays: integerSetting(env, 'CHANGE_RETENTION_DAYS', 30, 1),
    webhooks: Object.freeze({
      retryScheduleMs: retryScheduleSetting(env),
      timeoutMs: integerSetting(env, 'WEBHOOK_TIMEOUT_MS', DEFAULT_WEBHOOK_SETTINGS.timeoutMs, 1),
      allowLoopback: booleanSetting(env, 'WEBHOOK_ALLOW_LOOPBACK'),
    }),
    sessions: Object.freeze({
      idleMinutes: integerSetting(env, 'SESSION_IDLE_MINUTES', DEFAULT_SESSION_IDLE_MINUTES, 1),
      secureCookies: booleanSetting(env, 'SESSION_COOKIE_SECURE'),
    }),
  });
}
