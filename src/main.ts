import cluster from 'node:cluster';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { adminCommand } from './admin/cli.js';
import { adminOperations } from './admin/operations.js';
import { AuditLog } from './core/audit.js';
import { Authenticator } from './core/auth.js';
import { AdminError, ApiError } from './core/errors.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/database.js';
import { ensureTemplate } from './db/template.js';
import { databaseTarget, openMigratedDatabase, serve, serveWorkers } from './server.js';
import { VERSION } from './version.js';

const ENVIRONMENT = `
Environment:
  PORT          port to listen on (default 8080)
  HOST          address to bind (default 127.0.0.1)
  DATABASE_URL  PostgreSQL server URL; when unset, the embedded database in DATA_DIR
  DATA_DIR      embedded database directory (default ./data)
  ADMIN_TOKEN   admin API token (required by serve; generated and printed by demo)
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

program.addCommand(
  adminCommand(adminOperations, async () => {
    const config = loadConfig(process.env, { requireAdminToken: false });
    const database = await openMigratedDatabase(config);
    const log = pino({ level: 'warn' });
    const auth = new Authenticator(database.db);
    const audit = new AuditLog(database.db, log);
    return {
      db: database.db,
      auth,
      audit,
      async close() {
        await audit.close();
        await database.close();
      },
    };
  }),
);


try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AdminError) {
    process.stderr.write(`error: ${error.message}${error.field ? ` (field: ${error.field})` : ''}\n`);
  } else if (error instanceof ApiError) {
    // shared service code (users, vehicles) reports input faults with the integration API's codes
    process.stderr.write(`error: ${error.message} (code ${error.code}${error.field ? `, field: ${error.field}` : ''})\n`);
  } else if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}
