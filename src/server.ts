import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { buildApp, type App } from './app.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { isNewDataDir, loadTemplate } from './db/template.js';
import { ensureDemo } from './demo/index.js';
import { publishLocalServer } from './admin/local-server.js';

export function databaseTarget(config: Config) {
  return config.databaseUrl === undefined
    ? ({ kind: 'pglite', dataDir: config.dataDir } as const)
    : ({
        kind: 'postgres',
        url: config.databaseUrl,
        connectTimeoutMs: config.databaseConnectTimeoutMs,
        statementTimeoutMs: config.databaseStatementTimeoutMs,
      } as const);
}

/**
 * Opens the configured database and applies pending migrations. A new PGlite data directory
 * starts from the migrated template (src/db/template.ts) instead of a fresh initdb.
 */
export async function openMigratedDatabase(config: Config): Promise<Database> {
  const target = databaseTarget(config);
  const database =
    target.kind === 'pglite' && isNewDataDir(target.dataDir) ? await openDatabase({ ...target, template: await loadTemplate() }) : await openDatabase(target);
  try {
    await migrate(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The event-loop delay since the last report: worst stall, 99th percentile and mean, in ms. */
function eventLoopReport(histogram: IntervalHistogram) {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    max_ms: ms(histogram.max),
    p99_ms: ms(histogram.percentile(99)),
    mean_ms: Number.isNaN(histogram.mean) ? 0 : ms(histogram.mean),
  };
}

/** The address a process on this machine reaches the server at: a wildcard host is the loopback. */
function localBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' || host === '[::]' ? '::1' : host;
  return `http://${net.isIPv6(reachable) ? `[${reachable}]` : reachable}:${port}`;
}

export interface ServeOptions {
  readonly demo: boolean;
}

/**
 * Runs the server until SIGTERM or SIGINT, then stops accepting connections, lets in-flight
 * requests finish, writes the queued audit entries and closes the database.
 *
 * The event loop's delay is sampled all along: SIGUSR2 logs the worst stall since the last
 * report (an info line `"msg":"event-loop"` with `event_loop`, and starts over), so a load test
 * can tell what each scenario did to the loop; the last report is logged at shutdown. A stop
 * that takes longer than the configured deadline ends the process anyway (exit code 1).
 */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let app: App | undefined;
  // Asked for by a signal, so written whatever LOG_LEVEL says: a child logger with its own level.
  const reportEventLoop = () => {
    app?.log.child({}, { level: 'info' }).info({ event_loop: eventLoopReport(loop) }, 'event-loop');
    loop.reset();
  };
  // Installed before the address is printed: SIGUSR2's default action ends the process.
  process.on('SIGUSR2', reportEventLoop);
  const database = await openMigratedDatabase(config);
  // On the embedded database this process holds the data directory, so the command line on
  // this machine sends its commands here, with a credential of this run that is never the
  // operator's ADMIN_TOKEN (src/admin/local-server.ts).
  const localAdminToken = config.databaseUrl === undefined ? randomBytes(32).toString('base64url') : undefined;
  let unpublish = () => {};
  let base: string;
  let demo: Awaited<ReturnType<typeof ensureDemo>> | undefined;
  try {
    demo = options.demo ? await ensureDemo(database.db) : undefined;
    app = await buildApp({
      database,
      adminToken: config.adminToken,
      localAdminToken,
      logLevel: config.logLevel,
      limits: config.limits,
      changeRetentionDays: config.changeRetentionDays,
      webhooks: config.webhooks,
      sessions: config.sessions,
    });
    // Plate validation's index is loaded before the server takes requests (docs/enforcement.md).
    await app.enforcement.whenLoaded();
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    base = `http://${config.host}:${port}`;
    if (localAdminToken !== undefined) {
      unpublish = publishLocalServer(config.dataDir, { url: localBaseUrl(config.host, port), token: localAdminToken, pid: process.pid });
      // also when the process ends without a graceful stop (an uncaught error, process.exit)
      process.once('exit', unpublish);
    }
  } catch (error) {
    unpublish();
    await app?.close();
    await database.close();
    throw error;
  }

  const running = app;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // first: commands started from now on no longer come here, as the server stops taking requests
    unpublish();
    running.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      running.log.error({ deadline_ms: config.shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      await running.close();
      await database.close();
      reportEventLoop();
      process.exit(0);
    } catch (error) {
      running.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // Announced once a signal stops the server gracefully: whoever waits for the address may
  // send SIGTERM at once, which would otherwise end the process without releasing its lock.
  if (cluster.isWorker) {
    process.send!({ type: 'listening', base });
  } else {
    const where = config.databaseUrl === undefined ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    const lines = [`parking-controller listening on ${base} (${where})`];
    // The demo says who to sign in as (below); a plain server, where.
    if (!demo) lines.push(`  console:      ${base}/   (the operator console: sign in as an operator)`);
    lines.push(`  API docs:     ${base}/docs`);
    if (config.adminTokenGenerated) lines.push(`  admin token:  ${config.adminToken}   (generated for this run; set ADMIN_TOKEN to keep one)`);
    if (demo) {
      lines.push(
        `  demo client:  ${demo.clientCode}${demo.created ? ' (created)' : ''}`,
        `  demo token:   ${demo.token}`,
        // the password exists in clear only at its creation; later starts can only say how to reset it
        demo.console.password === undefined
          ? `  console:      ${base}/  (user ${demo.console.username}; password shown at first start; reset with: parking-controller admin operators set-password --username ${demo.console.username} --password …)`
          : `  console:      ${base}/  (user ${demo.console.username}, password ${demo.console.password})`,
        `  try:          curl -s -X POST ${base}/api/${demo.clientCode}/v1/profiles/types/list -H 'Content-Type: application/json' -d '{"apiToken":"${demo.token}"}'`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

/**
 * `serve --workers N`: N worker processes sharing the port (node:cluster), on PostgreSQL only:
 * PGlite is one session in one process. The primary migrates once, prints the address when
 * every worker listens, forwards SIGUSR2 and shuts the workers down gracefully. A worker that
 * dies after it started listening is replaced; one that dies while starting fails the start.
 *
 * Tokens revoked through one worker are honoured by the others within AUTH_CACHE_TTL_MS.
 */
export async function serveWorkers(config: Config, workers: number): Promise<void> {
  if (config.databaseUrl === undefined) {
    throw new ConfigError(`the embedded PGlite database runs in one process: --workers ${workers} needs DATABASE_URL (PostgreSQL)`);
  }
  const database = await openMigratedDatabase(config);
  await database.close();

  const each = (signal: NodeJS.Signals) => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGUSR2', () => each('SIGUSR2'));
  let stopping = false;
  const listening = new Set<Worker>();
  let announced = false;
  await new Promise<void>((resolve, reject) => {
    const start = () => {
      const worker = cluster.fork();
      worker.on('message', (message: { type?: string; base?: string }) => {
        if (message?.type !== 'listening') return;
        listening.add(worker);
        if (!announced && listening.size === workers) {
          announced = true;
          process.stdout.write(
            `parking-controller listening on ${message.base} (PostgreSQL (DATABASE_URL), ${workers} workers)\n  API docs:     ${message.base}/docs\n`,
          );
          resolve();
        }
      });
      worker.on('exit', (code, signal) => {
        const started = listening.delete(worker);
        if (stopping) return;
        if (!started) {
          stopping = true;
          for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
          reject(new Error(`a worker failed to start (exit ${signal ?? code})`));
          return;
        }
        process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
        start();
      });
    };
    for (let i = 0; i < workers; i++) start();
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    each('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
