import cluster from 'node:cluster';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { adminCommand, localTarget, type AdminTarget, type TargetChoice } from './admin/cli.js';
import { AdminServerError, httpTarget, parseServerUrl } from './admin/http-client.js';
import { findLocalServer, LocalServerError } from './admin/local-server.js';
import { adminOperations } from './admin/operations.js';
import { AuditLog } from './core/audit.js';
import { Authenticator } from './core/auth.js';
import { ApiError, DomainError } from './core/errors.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/database.js';
import { ensureTemplate } from './db/template.js';
import { databaseTarget, openMigratedDatabase, serve, serveWorkers } from './server.js';
import { VERSION } from './version.js';
import { DEFAULT_WEBHOOK_SETTINGS } from './webhooks/settings.js';

const ENVIRONMENT = `
Environment:
  PORT          port to listen on (default 8080)
  HOST          address to bind (default 127.0.0.1)
  DATABASE_URL  PostgreSQL server URL; when unset, the embedded database in DATA_DIR
  DATA_DIR      embedded database directory (default ./data)
  ADMIN_TOKEN   admin API token (required by serve; generated and printed by demo;
                admin commands send it to the server named by --url)
  PARKING_CONTROLLER_URL  admin commands: the server to send them to (as --url)
  LOG_LEVEL     fatal, error, warn, info, debug, trace or silent (default info)`;

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
  return workers;
}

const program = new Command('parking-controller')
  .description('An open implementation of the OPS-COM Controller integration API')
  .version(VERSION)
  .addHelpText('after', ENVIRONMENT)
  .showHelpAfterError();

program
  .command('serve')
  .description('run the server (ADMIN_TOKEN required)')
  .option('--workers <n>', 'worker processes sharing the port (PostgreSQL only)', parseWorkers, 1)
  .addHelpText('after', ENVIRONMENT)
  .action(async (options: { workers: number }) => {
    const config = loadConfig();
    if (options.workers > 1 && cluster.isPrimary) await serveWorkers(config, options.workers);
    else await serve(config, { demo: false });
  });

program
  .command('demo')
  .description('run the server with the demo client OC_TOMA, printing its API token and the admin token')
  .addHelpText('after', ENVIRONMENT)
  .action(async () => serve(loadConfig(process.env, { requireAdminToken: false }), { demo: true }));

program
  .command('migrate')
  .description('apply the database migrations that are not applied yet, and exit')
  .addHelpText('after', ENVIRONMENT)
  .action(async () => {
    const config = loadConfig(process.env, { requireAdminToken: false });
    const database = await openDatabase(databaseTarget(config));
    try {
      const applied = await migrate(database.db);
      process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied ${applied.join(', ')}\n`);
    } finally {
      await database.close();
    }
  });

program
  .command('pglite-template')
  .description('build the migrated template new embedded data directories start from (npm install runs it; otherwise done on first start)')
  .action(async () => {
    process.stdout.write(`${await ensureTemplate()}\n`);
  });

/**
 * Where an `admin` command runs. `--url` (or PARKING_CONTROLLER_URL) names a server, reached
 * with ADMIN_TOKEN. Otherwise, on PostgreSQL the command opens the database (several processes
 * share it); on the embedded database, a server holding the data directory gets the command
 * through its admin API with the credential it left there (src/admin/local-server.ts), and
 * without one the command opens the database itself.
 */
async function resolveAdminTarget(choice: TargetChoice): Promise<AdminTarget> {
  const url = choice.url ?? (process.env.PARKING_CONTROLLER_URL?.trim() || undefined);
  if (url !== undefined) {
    const base = parseServerUrl(url);
    const token = process.env.ADMIN_TOKEN?.trim();
    if (!token)
      throw new ConfigError(
        `ADMIN_TOKEN is required to send a command to the server at ${base.origin} (--url or PARKING_CONTROLLER_URL): set it to that server's admin token`,
      );
    return httpTarget(base, token);
  }
  const config = loadConfig(process.env, { requireAdminToken: false });
  if (config.databaseUrl === undefined) {
    const server = findLocalServer(config.dataDir);
    if (server !== undefined) return httpTarget(parseServerUrl(server.url), server.token);
  }
  return localTarget(async () => {
    const database = await openMigratedDatabase(config);
    const log = pino({ level: 'warn' });
    const auth = new Authenticator(database.db);
    const audit = new AuditLog(database.db, log);
    return {
      db: database.db,
      auth,
      audit,
      webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, ...config.webhooks },
      async close() {
        await audit.close();
        await database.close();
      },
    };
  });
}

program.addCommand(adminCommand(adminOperations, resolveAdminTarget));

/** The code and text of a system or PostgreSQL error. */
function errorCode(error: unknown): { code: string | undefined; message: string } {
  if (!(error instanceof Error)) return { code: undefined, message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  // A pool's connection attempt to every address of a host fails as one AggregateError.
  if (code === undefined && error instanceof AggregateError) return { ...errorCode(error.errors[0]), message: error.message || String(error.errors[0]) };
  return { code, message: error.message };
}

/** One line an operator can act on, for the failures a start meets: no stack. */
function describeFailure(error: unknown): string {
  const { code, message } = errorCode(error);
  switch (code) {
    case 'EADDRINUSE':
      return `the address is already in use (${message.replace(/^listen EADDRINUSE: address already in use /, '')}): another server runs there; stop it or set PORT`;
    case 'EACCES':
      return `not allowed to listen there (${message}); use a port above 1023 or set HOST`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `cannot reach PostgreSQL (DATABASE_URL): ${message}`;
    case '3D000':
      return `PostgreSQL: ${message}; create it, or point DATABASE_URL at an existing database`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the sign-in: ${message}; check the user and password in DATABASE_URL`;
    default:
      if (/connection timeout|timeout exceeded when trying to connect/i.test(message)) return `cannot reach PostgreSQL (DATABASE_URL): ${message}`;
      return `${message} (LOG_LEVEL=debug prints the stack)`;
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof DomainError) {
    process.stderr.write(`error: ${error.message}${error.field ? ` (field: ${error.field})` : ''}\n`);
  } else if (error instanceof ApiError) {
    // shared service code (users, vehicles) reports input faults with the integration API's codes
    process.stderr.write(`error: ${error.message} (code ${error.code}${error.field ? `, field: ${error.field}` : ''})\n`);
  } else if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof LocalServerError || error instanceof AdminServerError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${describeFailure(error)}\n`);
    if (['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
}
