import { createHash, timingSafeEqual } from 'node:crypto';
import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { RateLimited, type RateLimits } from '../core/rate-limits.js';
import { MAX_PAGE_SIZE, type AdminOperation, type AdminServices } from './operation.js';

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

/**
 * Registers the admin API under /admin/v1, guarded by the server's admin token and, on the
 * embedded database, the credential of this run it gives the command line on this machine
 * (src/admin/local-server.ts).
 */
export function registerAdminApi(
  app: FastifyInstance,
  services: AdminServices,
  guard: { readonly adminToken: string; readonly localAdminToken?: string; readonly limits: RateLimits },
  operations: readonly AdminOperation[],
): void {
  const accepted = [guard.adminToken, ...(guard.localAdminToken === undefined ? [] : [guard.localAdminToken])].map(digest);
  // Every credential is compared, in constant time, whichever matches.
  const isAccepted = (token: string) => accepted.map((expected) => timingSafeEqual(digest(token), expected)).includes(true);
  app.register(
    async (admin) => {
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
        const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        if (presented === undefined || !isAccepted(presented)) {
          await guard.limits.recordFailure(request.ip);
          return reply.status(401).header('www-authenticate', 'Bearer').send({ error: UNAUTHORIZED });
        }
      });
      // Input is checked by each operation (src/admin/input.ts), with the CLI's messages; the
      // schemas given to Fastify only document the routes.
      admin.setValidatorCompiler(() => () => true);
      for (const operation of operations) {
        admin.route({
          method: operation.method,
          url: operation.path,
          config: { swaggerTransform: ({ schema, url }) => ({ schema: documentedAdminSchema(schema, operation), url }) },
          schema: {
            summary: operation.summary,
            tags: ['admin'],
            security: [{ adminToken: [] }],
            ...(hasProperties(operation.body) ? { body: operation.body } : {}),
            ...(hasProperties(operation.query) ? { querystring: operation.query } : {}),
            ...(hasProperties(operation.params) ? { params: operation.params } : {}),
          },
          handler: async (request, reply) => {
            const { code, ...params } = pathParams(request.params);
            const result = await operation.execute(services, { code, params, query: request.query, body: request.body });
            return reply.status(operation.status).send(result);
          },
        });
      }
    },
    { prefix: '/admin/v1' },
  );
}
