import { createHash, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { NotFoundError } from '../core/errors.js';
import { RateLimited, type RateLimits } from '../core/rate-limits.js';
import { recordOperatorAction, type CredentialActor } from '../operators/actions.js';
import { SignInRefused, type OperatorSessions, type Session, type SessionOperator } from '../operators/sessions.js';
import { roleSubject } from './access.js';
import { parseClientCode, parseInput } from './input.js';
import { MAX_PAGE_SIZE, type AdminOperation, type AdminServices } from './operation.js';
import { requireClient } from './resolve.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function hasProperties(schema: TObject): boolean {
  return Object.keys(schema.properties).length > 0;
}

/** The router's path parameters, all text. */
function pathParams(params: unknown): Record<string, string> {
  const text: Record<string, string> = {};
  if (params !== null && typeof params === 'object') for (const [name, value] of Object.entries(params)) if (typeof value === 'string') text[name] = value;
  return text;
}

/** The admin API's error answer (AdminError, or a catalogue error met by an operation). */
export const AdminErrorAnswer = Type.Object(
  {
    error: Type.String({ description: 'what is wrong, in words' }),
    field: Type.Optional(Type.String({ description: 'the input at fault' })),
    code: Type.Optional(Type.Integer({ description: 'the 90xx code, when an integration API rule refused the input' })),
    request_id: Type.Optional(Type.String({ description: 'a server fault: the x-request-id of the call' })),
  },
  { additionalProperties: true },
);

const UNAUTHORIZED = 'a valid admin token is required';
const RETRY_AFTER = { 'retry-after': { type: 'integer', description: 'whole seconds to wait before trying again' } };

function errorAnswer(description: string, example: Record<string, unknown> | undefined, headers?: Record<string, unknown>) {
  return {
    description,
    ...(headers === undefined ? {} : { headers }),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/AdminError' }, ...(example === undefined ? {} : { example }) } },
  };
}

/** A refusal the operation really answers: a required body input left out, a page too large, a client code with NUL. */
function inputErrorExample(operation: AdminOperation, hasCode: boolean): Record<string, unknown> | undefined {
  const required = operation.body.required?.[0];
  if (required !== undefined) return { error: `${required}: required`, field: required };
  if ('limit' in operation.query.properties) return { error: `limit: must be at most ${MAX_PAGE_SIZE}`, field: 'limit' };
  if (hasCode) return { error: 'code: must not contain the NUL character (U+0000)', field: 'code' };
  return undefined;
}

/**
 * The operation's schema as the OpenAPI document shows it: the client code among the path
 * parameters, the answer's status (201 for creates), and the error answers. Kept out of the
 * route's own schema so that answers are serialised as the handlers return them.
 */
function documentedAdminSchema(schema: FastifySchema, operation: AdminOperation): FastifySchema {
  const hasCode = operation.path.includes(':code');
  const params = {
    ...(hasCode ? { code: Type.String({ description: 'the client code, matched in any case with - and _ alike' }) } : {}),
    ...operation.params.properties,
  };
  const writes = operation.method !== 'GET' && operation.method !== 'DELETE';
  return {
    ...schema,
    ...(Object.keys(params).length === 0 ? {} : { params: Type.Object(params) }),
    response: {
      [operation.status]: {
        description: operation.status === 201 ? 'Created: the new record' : 'The answer',
        content: { 'application/json': { schema: operation.response } },
      },
      400: errorAnswer('The input was refused', inputErrorExample(operation, hasCode)),
      401: errorAnswer('No admin token, or a wrong one', { error: UNAUTHORIZED }, { 'www-authenticate': { type: 'string', description: 'Bearer' } }),
      403: errorAnswer("The operator's role may not run the operation, or a cookie request that changes something lacks its x-csrf-token", {
        error: `an officer may not run ${operation.resource} ${operation.action}`,
      }),
      ...(hasCode ? { 404: errorAnswer('No such client, or no such record of it', { error: 'no client with code UNI_EAST', field: 'code' }) } : {}),
      ...(writes
        ? {
            409: errorAnswer('The record would duplicate another (a name, id or ticket already taken)', {
              error: 'a lot named Lot 4 already exists',
              field: 'name',
            }),
          }
        : {}),
      429: errorAnswer('Too many failed sign-ins from this address', { error: 'too many failed sign-ins from this address: retry in 12 s' }, RETRY_AFTER),
      500: errorAnswer('A server fault', { error: 'Internal server error.', request_id: '3f1c9a52-8d0e-4b7a-9c61-2e5f0a7d4b18' }),
    },
  };
}

/** The CSV form's document: the same inputs and errors, the success answer as text/csv. */
function documentedCsvSchema(schema: FastifySchema, operation: AdminOperation): FastifySchema {
  const responses = schema.response !== null && typeof schema.response === 'object' ? schema.response : {};
  return {
    ...schema,
    response: {
      ...responses,
      200: {
        description: `CSV (RFC 4180, header line first): ${operation.csv?.columns.join(', ') ?? ''}`,
        content: { 'text/csv': { schema: { type: 'string' } } },
      },
    },
  };
}

/** Who made an admin call: a credential (the admin token, the command line's) or an operator's session. */
export type AdminCaller = { readonly kind: 'credential'; readonly actor: CredentialActor } | { readonly kind: 'operator'; readonly session: Session };

export interface AdminGuard {
  readonly adminToken: string;
  /** The credential of this run the server gives the command line on this machine. */
  readonly localAdminToken?: string | undefined;
  readonly limits: RateLimits;
  readonly sessions: OperatorSessions;
  /** Mark the session cookie Secure even on plain HTTP (behind a proxy that ends TLS without saying so). */
  readonly secureCookies: boolean;
}

const SESSION_COOKIE = 'pc_session';
const CSRF_HEADER = 'x-csrf-token';
const CHANGES_STATE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRONG_SIGN_IN = 'wrong username or password';
const SESSION_ENDED = 'the session has ended: sign in again';

const SignInBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1024 }) });

const SessionAnswer = Type.Object({
  operator: Type.Object({
    id: Type.Integer(),
    username: Type.String(),
    display_name: Type.String(),
    role: Type.Union([Type.Literal('admin'), Type.Literal('officer'), Type.Literal('finance')]),
    client_code: Type.Union([Type.String(), Type.Null()]),
  }),
  csrf_token: Type.String({ description: 'send it as the x-csrf-token header of every POST, PUT, PATCH and DELETE' }),
  expires_at: Type.String({ description: 'when the session ends unless used before (ISO-8601)' }),
});

function sessionAnswer(session: Session) {
  const { operator } = session;
  return {
    operator: { id: operator.id, username: operator.username, display_name: operator.displayName, role: operator.role, client_code: operator.clientCode },
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt.toISOString(),
  };
}

function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Whether the operator may call the operation: its role must be among the operation's roles;
 * an operator of one client may call only that client's operations, and another client is
 * answered as an unknown one (404). Answers the refusal's sentence, or undefined when allowed.
 */
async function refusal(services: AdminServices, operator: SessionOperator, operation: AdminOperation, code: string | undefined): Promise<string | undefined> {
  const who = roleSubject(operator.role, operator.clientCode);
  const what = `${operation.resource} ${operation.action}`;
  if (!operation.roles.includes(operator.role)) return `${who} may not run ${what}`;
  if (operator.clientId === null) return undefined;
  if (code === undefined) return `${who} may not run ${what}: it is not an operation of one client`;
  const client = await requireClient(services.auth, parseClientCode(code));
  if (client.clientId !== operator.clientId) throw new NotFoundError(`no client with code ${code}`, 'code');
  return undefined;
}

/**
 * Registers the admin API under /admin/v1. Every operation accepts the server's admin token
 * (and, on the embedded database, the credential of this run it gives the command line on this
 * machine, src/admin/local-server.ts), or an operator's session cookie, limited to the
 * operation's roles (src/admin/access.ts) and, for a cookie, to a request that changes state
 * carrying the session's CSRF token. Every call that changes something is recorded as an
 * operator action.
 */
export function registerAdminApi(app: FastifyInstance, services: AdminServices, guard: AdminGuard, operations: readonly AdminOperation[]): void {
  const credentials = [
    { actor: 'admin-token' as const, hash: digest(guard.adminToken) },
    ...(guard.localAdminToken === undefined ? [] : [{ actor: 'cli' as const, hash: digest(guard.localAdminToken) }]),
  ];
  // Every credential is compared, in constant time, whichever matches.
  const credentialActor = (token: string): CredentialActor | undefined => {
    const presented = digest(token);
    return credentials.map(({ actor, hash }) => (timingSafeEqual(presented, hash) ? actor : undefined)).find((actor) => actor !== undefined);
  };
  const cookieOptions = (request: FastifyRequest) =>
    ({ httpOnly: true, sameSite: 'strict', path: '/', secure: guard.secureCookies || request.protocol === 'https' }) as const;

  app.register(
    async (admin) => {
      await admin.register(cookie);
      // Input is checked by each operation (src/admin/input.ts) and the sign-in route, with the
      // CLI's messages; the schemas given to Fastify only document the routes.
      admin.setValidatorCompiler(() => () => true);
      admin.decorateRequest('adminCaller', null);
      admin.addHook('onRequest', async (request, reply) => {
        try {
          await guard.limits.refuseBlockedAddress(request.ip);
        } catch (error) {
          if (!(error instanceof RateLimited)) throw error;
          return reply
            .status(429)
            .header('retry-after', String(error.retryAfterSeconds))
            .send({ error: `too many failed sign-ins from this address: retry in ${error.retryAfterSeconds} s` });
        }
        // the session routes read the cookie themselves
        if (request.routeOptions.config.sessionRoute === true) return;
        const authorization = request.headers.authorization;
        const sessionId = request.cookies[SESSION_COOKIE];
        // A bearer credential wins over a cookie: the command line and scripts never need CSRF tokens.
        if (authorization !== undefined || sessionId === undefined) {
          const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
          const actor = presented === undefined ? undefined : credentialActor(presented);
          if (actor === undefined) {
            await guard.limits.recordFailure(request.ip);
            return reply.status(401).header('www-authenticate', 'Bearer').send({ error: UNAUTHORIZED });
          }
          request.adminCaller = { kind: 'credential', actor };
          return;
        }
        const session = await guard.sessions.resume(sessionId);
        if (session === undefined) return reply.status(401).clearCookie(SESSION_COOKIE, cookieOptions(request)).send({ error: SESSION_ENDED });
        request.adminCaller = { kind: 'operator', session };
        if (CHANGES_STATE.has(request.method) && !hasCsrfToken(request, session)) return refuseCsrf(reply);
      });
      const hasCsrfToken = (request: FastifyRequest, session: Session) => {
        const presented = request.headers[CSRF_HEADER];
        return typeof presented === 'string' && sameSecret(presented, session.csrfToken);
      };
      const refuseCsrf = (reply: FastifyReply) =>
        reply.status(403).send({ error: `a request that changes something must carry the session's CSRF token in ${CSRF_HEADER}`, field: CSRF_HEADER });

      // Every call that changes something is recorded once its status is known, before it is answered.
      admin.addHook('onSend', async (request, reply, payload) => {
        const audited = request.routeOptions.config.audited;
        const caller = request.adminCaller;
        if (audited === undefined || caller === null || !CHANGES_STATE.has(request.method)) return payload;
        const { code, ...params } = pathParams(request.params);
        try {
          await recordOperatorAction(services.db, services.auth, {
            operatorId: caller.kind === 'operator' ? caller.session.operator.id : null,
            actor: caller.kind === 'operator' ? caller.session.operator.username : caller.actor,
            clientCode: code,
            resource: audited.resource,
            action: audited.action,
            method: request.method,
            params: code === undefined ? params : { code, ...params },
            status: reply.statusCode,
          });
        } catch (error) {
          request.log.error({ err: error }, 'the operator action could not be recorded');
        }
        return payload;
      });

      admin.post(
        '/session',
        {
          config: { sessionRoute: true, audited: { resource: 'session', action: 'sign-in' } },
          schema: {
            summary: 'Sign in as an operator: sets the pc_session cookie',
            tags: ['admin'],
            security: [],
            body: SignInBody,
            response: { 200: SessionAnswer, 401: AdminErrorAnswer, 423: AdminErrorAnswer, 429: AdminErrorAnswer },
          },
        },
        async (request, reply) => {
          const { username, password } = parseInput(SignInBody, request.body, 'json');
          try {
            const { sessionId, ...session } = await guard.sessions.signIn(username, password);
            request.adminCaller = { kind: 'operator', session };
            return reply.setCookie(SESSION_COOKIE, sessionId, cookieOptions(request)).send(sessionAnswer(session));
          } catch (error) {
            if (!(error instanceof SignInRefused)) throw error;
            await guard.limits.recordFailure(request.ip);
            if (error.reason === 'locked' && error.lockedUntil !== undefined)
              return reply.status(423).send({ error: `this account is locked until ${error.lockedUntil.toISOString()}` });
            return reply.status(401).send({ error: WRONG_SIGN_IN });
          }
        },
      );
      admin.get(
        '/session',
        {
          config: { sessionRoute: true },
          schema: {
            summary: "The signed-in operator and the session's CSRF token",
            tags: ['admin'],
            security: [{ operatorSession: [] }],
            response: { 200: SessionAnswer, 401: AdminErrorAnswer },
          },
        },
        async (request, reply) => {
          const sessionId = request.cookies[SESSION_COOKIE];
          const session = sessionId === undefined ? undefined : await guard.sessions.resume(sessionId);
          if (session === undefined) return reply.status(401).clearCookie(SESSION_COOKIE, cookieOptions(request)).send({ error: SESSION_ENDED });
          return reply.send(sessionAnswer(session));
        },
      );
      admin.delete(
        '/session',
        {
          config: { sessionRoute: true, audited: { resource: 'session', action: 'sign-out' } },
          schema: { summary: 'Sign out: the session ends and its cookie is cleared', tags: ['admin'], security: [{ operatorSession: [] }] },
        },
        async (request, reply) => {
          const sessionId = request.cookies[SESSION_COOKIE];
          const session = sessionId === undefined ? undefined : await guard.sessions.resume(sessionId);
          if (sessionId !== undefined && session !== undefined) {
            if (!hasCsrfToken(request, session)) return refuseCsrf(reply);
            request.adminCaller = { kind: 'operator', session };
            await guard.sessions.signOut(sessionId);
          }
          return reply.status(204).clearCookie(SESSION_COOKIE, cookieOptions(request)).send();
        },
      );

      /** Why the signed-in operator may not run the operation (undefined when allowed, or for a credential). */
      const callerRefusal = async (request: FastifyRequest, operation: AdminOperation, code: string | undefined) => {
        const caller = request.adminCaller;
        return caller?.kind === 'operator' ? refusal(services, caller.session.operator, operation, code) : undefined;
      };

      for (const operation of operations) {
        admin.route({
          method: operation.method,
          url: operation.path,
          config: {
            audited: { resource: operation.resource, action: operation.action },
            swaggerTransform: ({ schema, url }) => ({ schema: documentedAdminSchema(schema, operation), url }),
          },
          schema: {
            summary: operation.summary,
            tags: ['admin'],
            security: [{ adminToken: [] }, { operatorSession: [] }],
            ...(hasProperties(operation.body) ? { body: operation.body } : {}),
            ...(hasProperties(operation.query) ? { querystring: operation.query } : {}),
            ...(hasProperties(operation.params) ? { params: operation.params } : {}),
          },
          handler: async (request, reply) => {
            const { code, ...params } = pathParams(request.params);
            const refused = await callerRefusal(request, operation, code);
            if (refused !== undefined) return reply.status(403).send({ error: refused });
            const result = await operation.execute(services, { code, params, query: request.query, body: request.body });
            return reply.status(operation.status).send(result);
          },
        });
        const { csv } = operation;
        if (csv === undefined) continue;
        // The list's CSV form: the same operation, roles and input, answered as a streamed file.
        admin.route({
          method: 'GET',
          url: `${operation.path}.csv`,
          config: {
            swaggerTransform: ({ schema, url }) => ({ schema: documentedCsvSchema(documentedAdminSchema(schema, operation), operation), url }),
          },
          schema: {
            summary: `${operation.summary} — as CSV, every row the filters select (limit and cursor are ignored)`,
            tags: ['admin'],
            security: [{ adminToken: [] }, { operatorSession: [] }],
            ...(hasProperties(operation.query) ? { querystring: operation.query } : {}),
            ...(hasProperties(operation.params) ? { params: operation.params } : {}),
          },
          handler: async (request, reply) => {
            const { code, ...params } = pathParams(request.params);
            const refused = await callerRefusal(request, operation, code);
            if (refused !== undefined) return reply.status(403).send({ error: refused });
            const stream = await csv.open(services, { code, params, query: request.query, body: {} });
            // the client code and the path's other parameters name the file: pushed-permits-OC_TOMA.csv
            const nameParts = [csv.fileName, ...(code === undefined ? [] : [code]), ...Object.values(params).map(String)];
            const fileName = `${nameParts.map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}.csv`;
            return reply
              .type('text/csv; charset=utf-8')
              .header('content-disposition', `attachment; filename="${fileName}"`)
              .header('cache-control', 'no-store')
              .send(stream);
          },
        });
      }
    },
    { prefix: '/admin/v1' },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    adminCaller: AdminCaller | null;
  }
  interface FastifyContextConfig {
    /** A session route (sign-in, the session, sign-out): it reads the cookie itself. */
    sessionRoute?: boolean;
    /** What a call that changes something is recorded as. */
    audited?: { readonly resource: string; readonly action: string };
  }
}
