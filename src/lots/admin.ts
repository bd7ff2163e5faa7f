import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { Page, PageQuery } from '../admin/schemas.js';
import { LotRecord, NewLot } from './schemas.js';
import { createLot, listLots } from './service.js';

export const lotOperations: AdminOperation[] = [
  clientOperation({
    resource: 'lots',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/lots',
    summary: 'Create a lot (parking zone)',
    body: NewLot,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: LotRecord,
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
    response: Page(LotRecord),
    run: ({ db }, { client, query }) => listLots(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
];
