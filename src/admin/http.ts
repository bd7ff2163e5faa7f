import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AdminOperation, AdminServices } from './operation.js';
import { requireClient } from './resolve.js';
import type { Client } from '../core/auth.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Registers the admin API under /admin/v1, guarded by the server's admin token. */
export function registerAdminApi(app: FastifyInstance, services: AdminServices, adminToken: string, operations: readonly AdminOperation[]): void {
  const expected = digest(adminToken);
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (match === null || !timingSafeEqual(digest(match[1]), expected)) {
          return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'a valid admin token is required' });
        }
      });
      for (const operation of operations) {
        admin.route({
          method: operation.method,
          url: operation.path,
          schema: {
            summary: operation.summary,
            tags: ['admin'],
            security: [{ adminToken: [] }],
            ...(operation.body ? { body: operation.body } : {}),
            ...(operation.query ? { querystring: operation.query } : {}),
            ...(operation.params ? { params: operation.params } : {}),
          },
          handler: async (request, reply) => {
            const params = (request.params ?? {}) as Record<string, unknown>;
            const client = typeof params.code === 'string' ? await requireClient(services.auth, params.code) : (undefined as unknown as Client);
            const result = await operation.run(services, { client, params, body: request.body ?? {}, query: request.query ?? {} });
            return reply.status(operation.status ?? 200).send(result);
          },
        });
      }
    },
    { prefix: '/admin/v1' },
  );
}
