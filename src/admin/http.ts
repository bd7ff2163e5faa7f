import { createHash, timingSafeEqual } from 'node:crypto';
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { RateLimited, type RateLimits } from '../core/rate-limits.js';
import type { AdminOperation, AdminServices } from './operation.js';

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
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (match === null || !isAccepted(match[1])) {
          await guard.limits.recordFailure(request.ip);
          return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'a valid admin token is required' });
        }
      });
      // Input is checked by each operation (src/admin/input.ts), with the CLI's messages; the
      // schemas given to Fastify only document the routes.
      admin.setValidatorCompiler(() => () => true);
      for (const operation of operations) {
        admin.route({
          method: operation.method,
          url: operation.path,
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
