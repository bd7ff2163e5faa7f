import type { Config } from './config.js';
import { buildApp } from './app.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { ensureDemo } from './demo/index.js';

export function databaseTarget(config: Config) {
  return config.databaseUrl === undefined
    ? ({ kind: 'pglite', dataDir: config.dataDir } as const)
    : ({ kind: 'postgres', url: config.databaseUrl } as const);
}

export async function openMigratedDatabase(config: Config): Promise<Database> {
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrate(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Runs the server until SIGTERM or SIGINT, then stops accepting connections, lets in-flight
 * requests finish, writes the queued audit entries and closes the database.
 */
export async function serve(config: Config, options: { demo: boolean }): Promise<void> {
  const database = await openMigratedDatabase(config);
  let app;
  try {
    const demo = options.demo ? await ensureDemo(database.db) : undefined;
    app = await buildApp({ database, adminToken: config.adminToken, logLevel: config.logLevel });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const base = `http://${config.host}:${port}`;
    const where = config.databaseUrl === undefined ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    const lines = [`parking-controller listening on ${base} (${where})`, `  API docs:     ${base}/docs`];
    if (config.adminTokenGenerated) lines.push(`  admin token:  ${config.adminToken}   (generated for this run; set ADMIN_TOKEN to keep one)`);
    if (demo) {
      lines.push(
        `  demo client:  ${demo.clientCode}${demo.created ? ' (created)' : ''}`,
        `  demo token:   ${demo.token}`,
        `  try:          curl -s -X POST ${base}/api/${demo.clientCode}/v1/profiles/types/list -H 'Content-Type: application/json' -d '{"apiToken":"${demo.token}"}'`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
