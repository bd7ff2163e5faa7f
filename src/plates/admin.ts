import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { IdParams, Page } from '../admin/schemas.js';
import { AlertBody, AlertRecord, DnttListQuery, DnttRecord, NewDntt, PlateLookupAnswer, PlateParams } from './schemas.js';
import { createDntt, endDntt, listDntt, setAlert } from './admin-service.js';
import { validatePlate } from './service.js';

function alertOperations(resource: string, path: `${string}/:code${string}`, table: 'vehicles' | 'users', what: string): AdminOperation[] {
  return [
    clientOperation({
      resource,
      action: 'set',
      method: 'PUT',
      path,
      summary: `Set the alert of a ${what} (shown as ALARM by plate validation)`,
      params: IdParams,
      body: AlertBody,
      query: NoQuery,
      response: AlertRecord,
      run: ({ db }, { client, params, body }) => setAlert(db, client.clientId, table, params.id, body.text),
    }),
    clientOperation({
      resource,
      action: 'clear',
      method: 'DELETE',
      path,
      summary: `Clear the alert of a ${what}`,
      params: IdParams,
      query: NoQuery,
      body: NoBody,
      response: AlertRecord,
      run: ({ db }, { client, params }) => setAlert(db, client.clientId, table, params.id, null),
    }),
  ];
}

export const plateOperations: AdminOperation[] = [
  clientOperation({
    resource: 'plates',
    action: 'lookup',
    method: 'GET',
    path: '/clients/:code/plates/:plate',
    summary: 'What plate validation answers for a plate now: permits valid now, DNTT entries and alarm',
    params: PlateParams,
    query: NoQuery,
    body: NoBody,
    response: PlateLookupAnswer,
    run: async ({ db }, { client, params }) => {
      // The integration API's answer, with every list present (empty when nothing is on file) for an officer's screen.
      const found = await validatePlate(db, client.clientId, client.timezone, params.plate);
      return {
        plate: found.plate,
        permits: found.responseJSON.permits ?? [],
        dntt: found.responseJSON.dntt ?? [],
        alarm: found.responseJSON.alarm ?? null,
        response: found.response,
      };
    },
  }),
  clientOperation({
    resource: 'dntt',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/dntt',
    summary: 'Create a do-not-ticket-or-tow entry for a plate',
    body: NewDntt,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: DnttRecord,
    run: ({ db }, { client, body }) => createDntt(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'dntt',
    action: 'end',
    method: 'POST',
    path: '/clients/:code/dntt/:id/end',
    summary: 'End a DNTT entry in effect now (its end becomes the present)',
    params: IdParams,
    query: NoQuery,
    body: NoBody,
    response: DnttRecord,
    run: ({ db }, { client, params }) => endDntt(db, client.clientId, params.id),
  }),
  clientOperation({
    resource: 'dntt',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/dntt',
    summary: "List a client's DNTT entries",
    query: DnttListQuery,
    params: NoParams,
    body: NoBody,
    response: Page(DnttRecord),
    run: ({ db }, { client, query }) => listDntt(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor, query.plate),
  }),
  ...alertOperations('vehicle-alerts', '/clients/:code/vehicles/:id/alert', 'vehicles', 'vehicle'),
  ...alertOperations('user-alerts', '/clients/:code/users/:id/alert', 'users', 'user'),
];
