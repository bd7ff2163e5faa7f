import { randomBytes } from 'node:crypto';
import path from 'node:path';

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
  });
}
