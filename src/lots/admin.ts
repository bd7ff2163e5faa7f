import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { Money, PageQuery, Count } from '../admin/schemas.js';
import { createLot, listLots } from './service.js';

export const lotOperations: AdminOperation[] = [
  clientOperation({
    resource: 'lots',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/lots',
    summary: 'Create a lot (parking zone)',
    body: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      lot_type: Type.String({ description: 'Y yearly, M monthly, S semester, O other' }),
      default_cost: Type.Optional(Money),
      capacity: Type.Optional(Count({ description: 'permit capacity' })),
      tax_rate1: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
      tax_rate2: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
    }),
    params: NoParams,
    query: NoQuery,
    status: 201,
    run: ({ db }, { client, body }) => createLot(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'lots',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/lots',
    summary: "List a client's lots",
    query: PageQuery,
    params: NoParams,
    body: NoBody,
    run: ({ db }, { client, query }) => listLots(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
];
