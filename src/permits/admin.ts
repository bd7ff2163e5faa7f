import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { Instant, PageQuery, RowId } from '../admin/schemas.js';
import { createPermitType, createStandardPermit, listPermits, listPermitTypes } from './standard.js';

const Decimal = (description: string) => Type.Union([Type.String({ maxLength: 20 }), Type.Number({ minimum: 0 })], { description });

export const permitOperations: AdminOperation[] = [
  clientOperation({
    resource: 'permit-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/permit-types',
    summary: 'Create a permit type (short name in a lot)',
    body: Type.Object({
      short_name: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. LOT3, BIKE' }),
      lot: Type.Union([RowId(), Type.String({ minLength: 1, maxLength: 200 })], { description: 'a lot id or name' }),
    }),
    params: NoParams,
    query: NoQuery,
    status: 201,
    run: ({ db }, { client, body }) => createPermitType(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'permit-types',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/permit-types',
    summary: "List a client's permit types",
    query: PageQuery,
    params: NoParams,
    body: NoBody,
    run: ({ db }, { client, query }) => listPermitTypes(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
  clientOperation({
    resource: 'permits',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/permits',
    summary: 'Issue a standard permit to vehicles on file and/or plates',
    body: Type.Object({
      permit_type: Type.Union([RowId(), Type.String({ minLength: 1, maxLength: 50 })], { description: 'a permit type id or short name' }),
      user_id: Type.Optional(RowId()),
      vehicle_ids: Type.Optional(Type.Array(RowId(), { maxItems: 100 })),
      plates: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 25 }), { maxItems: 100 })),
      start: Instant,
      end: Instant,
      amount: Type.Optional(Decimal('pre-tax amount paid, up to 5 decimals; the lot default cost when absent')),
      tax_amount1: Type.Optional(Decimal('up to 5 decimals; amount × the lot tax rate 1 when absent')),
      tax_amount2: Type.Optional(Decimal('up to 5 decimals; amount × the lot tax rate 2 when absent')),
    }),
    params: NoParams,
    query: NoQuery,
    status: 201,
    run: ({ db }, { client, body }) => createStandardPermit(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'permits',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/permits',
    summary: 'List standard and pushed permits (standard first); ?plate= and ?disconnected=true filter',
    query: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
      // Pushed permits (bigint ids) follow standard ones in the cursor space: above 2^31.
      cursor: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'next_cursor of the previous page' })),
      plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
      disconnected: Type.Optional(Type.Boolean({ description: 'only pushed permits whose zone matched no lot' })),
    }),
    params: NoParams,
    body: NoBody,
    run: ({ db }, { client, query }) => listPermits(db, client.clientId, { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
  }),
];
