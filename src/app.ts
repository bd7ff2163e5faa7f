import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { adminOperations } from './admin/operations.js';
import { adminErrorStatus } from './admin/error-status.js';
import { AdminErrorAnswer, registerAdminApi } from './admin/http.js';
import { ERROR_ENVELOPES } from './core/api-openapi.js';
import { envelopeBody, registerApi, MAX_BODY_BYTES, type ApiRouteDefinition } from './core/api-route.js';
import { AuditLog } from './core/audit.js';
import { CONSOLE_DIR, registerConsole } from './core/console.js';
import { Authenticator } from './core/auth.js';
import { ApiError, DomainError } from './core/errors.js';
import type { Database } from './db/database.js';
import { DEFAULT_LIMITS, type ServerLimits } from './config.js';
import { DEFAULT_SESSION_IDLE_MINUTES, OperatorSessions } from './operators/sessions.js';
import { RateLimits } from './core/rate-limits.js';
import { changeRoutes } from './changes/routes.js';
import { followOtherProcesses, pruneChanges } from './changes/feed.js';
import { EnforcementIndex } from './enforcement/index.js';
import { GENETEC_PREFIX, GENETEC_SECURITY_SCHEME, registerGenetec } from './genetec/routes.js';
import { permitRoutes } from './permits/routes.js';
import { plateRoutes } from './plates/routes.js';
import { profileRoutes } from './profiles/routes.js';
import { vehicleRoutes } from './vehicles/routes.js';
import { VERSION } from './version.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/settings.js';
import { WebhookWorker } from './webhooks/worker.js';
import { violationRoutes } from './violations/routes.js';

/** Every route of the integration API. */
export const apiRoutes: ApiRouteDefinition[] = [...permitRoutes, ...profileRoutes, ...vehicleRoutes, ...violationRoutes, ...plateRoutes, ...changeRoutes];

export interface AppOptions {
  readonly database: Database;
  readonly adminToken: string;
  /** A credential of this run the admin API accepts as well (the command line's, on PGlite). */
  readonly localAdminToken?: string;
  readonly logLevel?: string;
  /** A pino destination for tests; stdout otherwise. */
  readonly logStream?: NodeJS.WritableStream;
  /** How many days the change log keeps events (default 30). */
  readonly changeRetentionDays?: number;
  /** Webhook delivery settings; DEFAULT_WEBHOOK_SETTINGS where not given. */
  readonly webhooks?: Partial<WebhookSettings>;
  /** Timeouts, connection cap and request limits; DEFAULT_LIMITS where not given. */
  readonly limits?: Partial<ServerLimits>;
  /** Operator sessions: minutes of inactivity that end one (default 30), and whether the cookie is always Secure. */
  readonly sessions?: { readonly idleMinutes?: number; readonly secureCookies?: boolean };
  /** The built operator console to serve at `/`; the package's dist/console by default. */
  readonly consoleDir?: string;
}

export type App = FastifyInstance & { readonly audit: AuditLog; readonly auth: Authenticator; readonly enforcement: EnforcementIndex };

const SERVER_FAULT = 'Internal server error.';
export const DEFAULT_CHANGE_RETENTION_DAYS = 30;
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** How long readiness waits for the database: well under a container probe's timeout. */
const READY_TIMEOUT_MS = 2_000;
const HealthAnswer = Type.Object({ status: Type.Literal('ok') });
const ReadyAnswer = Type.Object({ status: Type.Literal('ready') });
const UnavailableAnswer = Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() });
/** Longer than any value a path carries (plates: 50, client codes: 100). */
const MAX_PATH_PARAM_LENGTH = 500;

/**
 * Builds the server without listening: `serve` listens on it, tests inject into it. Closing
 * the app writes the queued audit entries; the database is the caller's to close.
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const logger: FastifyServerOptions['logger'] = {
    level: options.logLevel ?? 'info',
    redact: { paths: ['req.headers.authorization', 'req.body.apiToken', 'req.body.api_token', '*.token', '*.password'], censor: '[redacted]' },
    ...(options.logStream ? { stream: options.logStream } : {}),
  };
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    logger,
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => randomUUID(),
    // Fastify's two lines per request carry the URL (a plate, a client code in clear); the
    // onResponse hook below writes one line per call with the route's pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    // A slow or idle client cannot hold a connection: the headers and the whole request must
    // arrive in time (checked every second; Node's default is every 30 s), and a silent socket
    // is closed. Made here because Fastify applies its own timeout options only to servers it
    // creates itself.
    serverFactory: (handler) => {
      const server = http.createServer(
        {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          connectionsCheckingInterval: 1_000,
        },
        handler,
      );
      server.setTimeout(limits.idleTimeoutMs);
      return server;
    },
    trustProxy: limits.trustProxy,
    // A plate in the path may be long: over 50 characters it meets the API's own 9030, not a router error.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Malformed percent-encoding and over-long path segments fail before any route is chosen:
    // answered in the API's envelope under /api and as an admin error elsewhere.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const invalid =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new ApiError(9030) : new ApiError(9003, undefined, { hint: 'the path is not valid percent-encoded UTF-8' });
      if (request.url.startsWith('/api/')) void reply.status(invalid.status).send(envelopeBody('seed', invalid));
      else
        void reply
          .status(400)
          .send({ error: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'the path is not valid percent-encoded UTF-8' });
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = limits.maxConnections;
  options.database.onError((error) => app.log.warn({ err: error }, 'database connection error'));
  app.addHook('onResponse', async (request, reply) => {
    const params = request.params !== null && typeof request.params === 'object' ? request.params : {};
    const client = request.apiCall?.clientCode ?? ('client' in params ? params.client : 'code' in params ? params.code : undefined);
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(client === undefined ? {} : { client }),
      },
      'request',
    );
  });
  // lot-values is documented as a GET that carries a JSON body.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });

  const { db } = options.database;
  const auth = new Authenticator(db);
  const audit = new AuditLog(db, app.log, () => auth.flushLastUse());
  app.decorate('audit', audit);
  app.decorate('auth', auth);
  app.addHook('onClose', async () => audit.close());
  // The change log keeps `changeRetentionDays`; a pass every ten minutes forgets what is older.
  const retentionDays = options.changeRetentionDays ?? DEFAULT_CHANGE_RETENTION_DAYS;
  const pruning = setInterval(() => {
    pruneChanges(db, retentionDays).catch((error: unknown) => app.log.warn({ err: error }, 'change log pruning failed'));
  }, PRUNE_INTERVAL_MS);
  pruning.unref();
  app.addHook('onClose', async () => clearInterval(pruning));
  // Long polls wake at a commit made by another process sharing the database, not at their next look.
  await followOtherProcesses(options.database);
  // Plate validation answers from memory. The index loads in the background (a database down at
  // start must not hold the app): readiness waits for it, `serve` listens only once it has
  // (app.enforcement.whenLoaded()), and until then validation answers by the SQL.
  const enforcement = new EnforcementIndex(options.database, { log: app.log });
  app.decorate('enforcement', enforcement);
  void enforcement.start();
  app.addHook('onClose', async () => enforcement.close());
  // Webhooks are sent in the background from the log; stopped (attempts under way cut short) on close.
  const webhooks: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks };
  const webhookWorker = new WebhookWorker(options.database, webhooks, app.log);
  app.addHook('onClose', async () => webhookWorker.close());
  // A response finished while the server closes ends its connection: a keep-alive client would
  // otherwise hold the shutdown until its connection times out (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  // The operator side's errors (the integration API has its own handler, in its envelopes).
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const adminStatus = adminErrorStatus(error);
    if (error instanceof DomainError && adminStatus !== undefined)
      return reply.status(adminStatus).send({ error: error.message, ...(error.field ? { field: error.field } : {}) });
    if (error instanceof ApiError && adminStatus !== undefined)
      return reply.status(adminStatus).send({ error: error.message, code: error.code, ...(error.field ? { field: error.field } : {}) });
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.status(status).send({ error: error.message });
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: SERVER_FAULT, request_id: request.id });
  });

  await app.register(swagger, {
    // @fastify/swagger marks every documented body required; an integration call whose token is
    // in Authorization: Bearer may send none (an absent body reads as {}).
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const { openapiObject } = documentObject;
      for (const [path, item] of Object.entries(openapiObject.paths ?? {})) {
        if (!path.startsWith('/api/') || path.startsWith(GENETEC_PREFIX) || item === undefined) continue;
        for (const operation of [item.get, item.post]) {
          if (operation?.requestBody !== undefined && 'content' in operation.requestBody) operation.requestBody.required = false;
        }
      }
      return openapiObject;
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'parking-controller',
        version: VERSION,
        description: 'An open implementation of the OPS-COM Controller integration API, and its operator (admin) API.',
      },
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'the server ADMIN_TOKEN' },
          operatorSession: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pc_session',
            description: 'an operator session (POST /admin/v1/session); requests that change something also send the x-csrf-token header',
          },
          apiToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An integration API token in Authorization: Bearer. The integration API also reads it from the body ' +
              '(apiToken or api_token), which no OpenAPI security scheme can describe: its operations list this scheme ' +
              'or none ({}), and their body schema documents the token property.',
          },
          genetecApiKey: GENETEC_SECURITY_SCHEME,
        },
        schemas: { ...ERROR_ENVELOPES, AdminError: AdminErrorAnswer },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(async (health) => {
    // Probes send what their tool sends, often a JSON content type with no body (which the
    // JSON parser refuses): these routes never read a body, so any is accepted up to the limit.
    health.removeAllContentTypeParsers();
    health.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
    health.get(
      '/health',
      { schema: { summary: 'Liveness: the process serves requests (the database is not asked)', tags: ['health'], response: { 200: HealthAnswer } } },
      async () => ({ status: 'ok' as const }),
    );
    health.get(
      '/health/ready',
      {
        schema: {
          summary: `Readiness: the database answers a query within ${READY_TIMEOUT_MS} ms, and plate validation's index is loaded`,
          tags: ['health'],
          response: { 200: ReadyAnswer, 503: UnavailableAnswer },
        },
      },
      async (request, reply) => {
        const ping = await options.database.ping(READY_TIMEOUT_MS);
        if (ping.state === 'ok' && !enforcement.loaded)
          return reply.status(503).send({ status: 'unavailable' as const, reason: 'the enforcement index is loading' });
        if (ping.state === 'ok') return reply.status(200).send({ status: 'ready' as const });
        const reason = ping.state === 'timeout' ? `the database did not answer within ${READY_TIMEOUT_MS} ms` : 'the database query failed';
        request.log.warn({ err: ping.state === 'failed' ? ping.error : undefined }, `not ready: ${reason}`);
        return reply.status(503).send({ status: 'unavailable' as const, reason });
      },
    );
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const rateLimits = new RateLimits(limits);
  registerApi(app, { db, auth, audit, limits: rateLimits }, apiRoutes);
  registerGenetec(app, { db, auth, audit, limits: rateLimits });
  const sessions = new OperatorSessions(db, options.sessions?.idleMinutes ?? DEFAULT_SESSION_IDLE_MINUTES);
  registerAdminApi(
    app,
    { db, auth, audit, webhooks },
    {
      adminToken: options.adminToken,
      localAdminToken: options.localAdminToken,
      limits: rateLimits,
      sessions,
      secureCookies: options.sessions?.secureCookies ?? false,
    },
    adminOperations,
  );
  await registerConsole(app, options.consoleDir ?? CONSOLE_DIR);
  await app.ready();
  await webhookWorker.start();
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditLog;
    auth: Authenticator;
    enforcement: EnforcementIndex;
  }
}
