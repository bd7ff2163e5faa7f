import { Type } from '@sinclair/typebox';
import type { AdminOperation } from '../admin/operation.js';
import { DEFAULT_PAGE_SIZE } from '../admin/operation.js';
import { IdParams, PageQuery } from '../admin/schemas.js';
import * as tenants from './service.js';

const ClientSettings = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  timezone: Type.Optional(Type.String({ description: 'IANA time zone of the client (plate validation times)' })),
  currency: Type.Optional(Type.String({ description: 'default currency of pushed permits' })),
  input_time_zone: Type.Optional(Type.String({ description: 'IANA time zone in which pushed permit times are read' })),
};

export const tenantOperations: AdminOperation[] = [
  {
    resource: 'clients',
    action: 'create',
    method: 'POST',
    path: '/clients',
    summary: 'Create a client (tenant)',
    body: Type.Object({ code: Type.String(), ...ClientSettings }),
    status: 201,
    run: async ({ db }, { body }) => tenants.createClient(db, body),
  },
  {
    resource: 'clients',
    action: 'list',
    method: 'GET',
    path: '/clients',
    summary: 'List clients',
    query: PageQuery,
    run: ({ db }, { query }) => tenants.listClients(db, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  },
  {
    resource: 'clients',
    action: 'show',
    method: 'GET',
    path: '/clients/:code',
    summary: 'Show a client',
    run: ({ db }, { client }) => tenants.showClient(db, client.clientId),
  },
  {
    resource: 'clients',
    action: 'update',
    method: 'PATCH',
    path: '/clients/:code',
    summary: "Change a client's name, time zones or currency",
    body: Type.Object(ClientSettings),
    run: ({ db }, { client, body }) => tenants.updateClient(db, client.clientId, body),
  },
  {
    resource: 'integrations',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/integrations',
    summary: 'Create an integration (a connected system) of a client',
    body: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 100 }),
      origin: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'type label of its pushed permits (default temp)' })),
    }),
    status: 201,
    run: ({ db }, { client, body }) => tenants.createIntegration(db, client.clientId, body),
  },
  {
    resource: 'integrations',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/integrations',
    summary: "List a client's integrations",
    query: PageQuery,
    run: ({ db }, { client, query }) => tenants.listIntegrations(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  },
  {
    resource: 'tokens',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/tokens',
    summary: 'Issue an API token for an integration (the token is shown in this answer only)',
    body: Type.Object({
      integration: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1 })], { description: 'integration id or name' }),
      scopes: Type.Union([Type.Literal('all'), Type.Array(Type.String())], { description: 'scopes, or "all"' }),
    }),
    status: 201,
    run: ({ db }, { client, body }) => tenants.createToken(db, client.clientId, body),
  },
  {
    resource: 'tokens',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/tokens',
    summary: "List a client's tokens (prefixes only)",
    query: PageQuery,
    run: ({ db }, { client, query }) => tenants.listTokens(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  },
  {
    resource: 'tokens',
    action: 'revoke',
    method: 'DELETE',
    path: '/clients/:code/tokens/:id',
    summary: 'Revoke a token',
    params: IdParams,
    run: ({ db }, { client, params }) => tenants.revokeToken(db, client.clientId, params.id as number),
  },
  {
    resource: 'login-sources',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/login-sources',
    summary: 'Configure a login source for profile pushes',
    body: Type.Object({ name: Type.String() }),
    status: 201,
    run: ({ db }, { client, body }) => tenants.createLoginSource(db, client.clientId, body.name),
  },
  {
    resource: 'login-sources',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/login-sources',
    summary: "List a client's login sources",
    query: PageQuery,
    run: ({ db }, { client, query }) => tenants.listLoginSources(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  },
  {
    resource: 'audit',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/audit',
    summary: 'Recent integration API calls of a client, newest first',
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_PAGE_SIZE })) }),
    run: async ({ db, audit }, { client, query }) => {
      await audit.flush();
      return tenants.listAudit(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE);
    },
  },
];
