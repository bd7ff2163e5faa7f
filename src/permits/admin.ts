import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { Type } from '@sinclair/typebox';
import { Answer, Page, PageQuery } from '../admin/schemas.js';
import { LotValueRecord, NewPermitType, NewStandardPermit, PermitListQuery, PermitRecord, PermitTypeRecord, StandardPermitRecord } from './schemas.js';
import { clientLotValueRows } from './service.js';
import { createPermitType, createStandardPermit, listPermits, listPermitTypes } from './standard.js';

export const permitOperations: AdminOperation[] = [
  clientOperation({
    resource: 'permit-types',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/permit-types',
    summary: 'Create a permit type (short name in a lot)',
    body: NewPermitType,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: PermitTypeRecord,
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
    response: Page(PermitTypeRecord),
    run: ({ db }, { client, query }) => listPermitTypes(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
  clientOperation({
    resource: 'permits',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/permits',
    summary: 'Issue a standard permit to vehicles on file and/or plates',
    body: NewStandardPermit,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: StandardPermitRecord,
    run: ({ db }, { client, body }) => createStandardPermit(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'permits',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/permits',
    summary: 'List standard and pushed permits (standard first); ?plate= and ?disconnected=true filter',
    query: PermitListQuery,
    params: NoParams,
    body: NoBody,
    response: Page(PermitRecord),
    run: ({ db }, { client, query }) => listPermits(db, client.clientId, { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
  }),
  clientOperation({
    resource: 'lot-values',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/lot-values',
    summary: 'The lot value report: per lot, capacity, standard permits valid now, utilisation and money (as permits/lot-values)',
    query: NoQuery,
    params: NoParams,
    body: NoBody,
    response: Answer({ items: Type.Array(LotValueRecord) }),
    run: async ({ db }, { client }) => ({ items: await clientLotValueRows(db, client.clientId) }),
  }),
];
