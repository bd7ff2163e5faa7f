import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { CLIENT_FIELD, documentedSchema, TOKEN_FIELD, type DocumentedRoute, type Envelope } from './api-openapi.js';
import type { AuditLog } from './audit.js';
import type { Authenticator, Caller, Scope } from './auth.js';
import { ApiError, errorEnvelope } from './errors.js';
import { Fields } from './fields.js';
import { readJsonObject } from './json-body.js';
import { RateLimited, type RateLimits } from './rate-limits.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** What a handler of the integration API gets: the authenticated caller and the request's fields. */
export interface ApiContext {
  readonly db: Kysely<DB>;
  readonly caller: Caller;
  readonly fields: Fields;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export type { Envelope };

/**
 * One endpoint of the integration API. `attributes`, `errors`, `example` and `requestHeaders`
 * only document it (the OpenAPI document, src/core/api-openapi.ts): the handler reads and
 * checks the body itself.
 */
export interface ApiRouteDefinition extends DocumentedRoute {
  readonly method: 'POST' | ReadonlyArray<'GET' | 'POST'>;
  readonly scope: Scope;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Where the client code is read: the `:client` path segment (default) or the body's `client`. */
  readonly clientFrom?: 'path' | 'body';
  handler(context: ApiContext): Promise<unknown>;
}

export interface ApiDependencies {
  readonly db: Kysely<DB>;
  readonly auth: Authenticator;
  readonly audit: AuditLog;
  readonly limits: RateLimits;
}

/** What the audit trail learns about a call while it runs. */
export interface CallRecord {
  clientId: number;
  clientCode: string | null;
  integrationId: number | null;
  tokenId: number | null;
  errorCode: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiCall: CallRecord | null;
  }
  interface FastifyContextConfig {
    envelope?: Envelope;
  }
}

export function envelopeBody(envelope: Envelope, error: ApiError): Record<string, unknown> {
  if (envelope === 'plate') {
    return {
      error: error.code,
      data: null,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  return errorEnvelope(error);
}

/** A call's one audit entry (docs/architecture.md#audit), written when its answer is sent. */
export function recordCall(audit: AuditLog, request: FastifyRequest, reply: FastifyReply): void {
  const call = request.apiCall;
  const status = reply.statusCode;
  audit.record({
    at: new Date(Date.now() - reply.elapsedTime),
    clientId: call?.clientId ?? 0,
    clientCode: call?.clientCode ?? (request.params as { client?: string } | undefined)?.client ?? null,
    integrationId: call?.integrationId ?? null,
    tokenId: call?.tokenId ?? null,
    method: request.method,
    endpoint: request.routeOptions.url ?? request.url.replace(/\?.*$/s, ''),
    errorCode: call?.errorCode ?? (status < 400 ? 0 : status >= 500 ? 500 : 9003),
    httpStatus: status,
    latencyMs: reply.elapsedTime,
    requestId: request.id,
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function tokenFrom(fields: Fields, request: FastifyRequest): string {
  const fromBody = fields.text(TOKEN_FIELD);
  const token = fromBody ?? bearerToken(request);
  if (token === undefined) throw new ApiError(9001);
  return token;
}

/**
 * The path's parameters other than the client code; U+0000 in one is 9033 for it (PostgreSQL
 * text cannot hold it). A client code holding one names no client and meets 9034.
 */
function checkPathParams(request: FastifyRequest): void {
  for (const [name, value] of Object.entries(request.params as Record<string, string>)) {
    if (name !== 'client' && value.includes('\u0000')) throw new ApiError(9033, name);
  }
}

/** Authenticates the call; an unknown token counts against the caller's address. */
async function authenticate(deps: ApiDependencies, request: FastifyRequest, clientCode: string, token: string, scope: Scope): Promise<Caller> {
  try {
    return await deps.auth.authenticate(clientCode, token, scope);
  } catch (error) {
    if (error instanceof ApiError && error.code === 9034) await deps.limits.recordFailure(request.ip);
    throw error;
  }
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The methods a route does not serve (HEAD is served wherever GET is). */
function otherMethods(served: readonly string[]): Array<(typeof HTTP_METHODS)[number]> {
  const allowed = new Set(served.includes('GET') ? [...served, 'HEAD'] : served);
  return HTTP_METHODS.filter((method) => !allowed.has(method));
}

function clientCodeFrom(definition: ApiRouteDefinition, fields: Fields, request: FastifyRequest): string {
  const raw = definition.clientFrom === 'body' ? fields.text(CLIENT_FIELD) : (request.params as { client?: string }).client?.trim();
  if (raw === undefined || raw === '') throw new ApiError(9000);
  return raw;
}

/**
 * Registers the integration API (everything under /api) in its own encapsulated context:
 * raw bodies read as JSON by the API's own rules (9003), the error envelopes, and one audit
 * entry per call.
 */
export function registerApi(app: FastifyInstance, deps: ApiDependencies, routes: readonly ApiRouteDefinition[]): void {
  app.register(
    async (api) => {
      api.decorateRequest('apiCall', null);
      api.removeAllContentTypeParsers();
      api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

      api.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const envelope = request.routeOptions.config.envelope ?? 'seed';
        if (error instanceof ApiError) return reply.status(error.status).send(envelopeBody(envelope, error));
        const status = error.statusCode ?? 500;
        if (status === 413) return reply.status(413).send(envelopeBody(envelope, new ApiError(9003, undefined, { status: 413 })));
        if (status >= 400 && status < 500) return reply.status(400).send(envelopeBody(envelope, new ApiError(9003)));
        request.log.error({ err: error }, 'request failed');
        const body =
          envelope === 'plate'
            ? { error: 500, data: null, message: 'Internal server error.', request_id: request.id }
            : { ErrorCode: 500, ErrorMessage: 'Internal server error.', request_id: request.id };
        return reply.status(500).send(body);
      });

      api.addHook('onResponse', async (request, reply) => recordCall(deps.audit, request, reply));

      // A path no endpoint serves: 404 in the seed envelope, never Fastify's own answer.
      api.setNotFoundHandler(async (request, reply) => {
        const path = request.url.split('?')[0];
        const hint = `no endpoint serves ${request.method} ${path}; the endpoints are listed in the OpenAPI document at /openapi.json`;
        return reply.status(404).send(envelopeBody('seed', new ApiError(9003, undefined, { status: 404, hint })));
      });

      for (const definition of routes) {
        const envelope = definition.envelope ?? 'seed';
        const served = typeof definition.method === 'string' ? [definition.method] : [...definition.method];
        const allow = served.includes('GET') ? [...served, 'HEAD'] : served;
        api.route({
          method: otherMethods(served),
          url: definition.url,
          config: { envelope },
          schema: { hide: true },
          handler: async (request, reply) => {
            const hint = `this endpoint accepts ${served.join(' or ')}`;
            return reply
              .status(405)
              .header('allow', allow.join(', '))
              .send(envelopeBody(envelope, new ApiError(9003, undefined, { status: 405, hint })));
          },
        });
        api.route({
          method: served,
          url: definition.url,
          // The documentation reaches the OpenAPI document only: a body schema given to Fastify
          // would be validated against the raw Buffer this context parses bodies into.
          config: {
            envelope,
            swaggerTransform: ({ schema, url }) => ({ schema: documentedSchema(schema, definition, definition.clientFrom === 'body'), url }),
          },
          schema: {
            summary: definition.summary,
            description: definition.description,
            tags: [...definition.tags],
            ...(definition.response ? { response: { 200: definition.response } } : {}),
          },
          handler: async (request, reply) => {
            const call: CallRecord = { clientId: 0, clientCode: null, integrationId: null, tokenId: null, errorCode: 0 };
            request.apiCall = call;
            try {
              const body = readJsonObject(request.body as Buffer | undefined, request.headers['content-type']);
              const fields = new Fields(body);
              const clientCode = clientCodeFrom(definition, fields, request);
              call.clientCode = clientCode;
              const token = tokenFrom(fields, request);
              await deps.limits.refuseBlockedAddress(request.ip);
              const caller = await authenticate(deps, request, clientCode, token, definition.scope);
              call.clientId = caller.client.clientId;
              call.integrationId = caller.integrationId;
              call.tokenId = caller.tokenId;
              await deps.limits.chargeToken(caller);
              checkPathParams(request);
              const result = await definition.handler({ db: deps.db, caller, fields, request, reply });
              return reply.send(result);
            } catch (caught) {
              let error = caught;
              if (error instanceof RateLimited) {
                reply.header('retry-after', String(error.retryAfterSeconds));
                error = new ApiError(9040, undefined, { hint: `retry in ${error.retryAfterSeconds} s` });
              }
              if (!(error instanceof ApiError)) throw error;
              call.errorCode = error.code;
              return reply.status(error.status).send(envelopeBody(envelope, error));
            }
          },
        });
      }
    },
    { prefix: '/api' },
  );
}
