import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { IdParams, Instant, PageQuery } from '../admin/schemas.js';
import { createDntt, listDntt, setAlert } from './admin-service.js';
import { validatePlate } from './service.js';

const AlertBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000, description: 'the alert text (plate validation alarm)' }) });

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
    params: Type.Object({
      plate: Type.String({ minLength: 1, maxLength: 50, description: 'the plate, written any way (normalised as plate validation does)' }),
    }),
    query: NoQuery,
    body: NoBody,
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
    body: Type.Object({
      plate: Type.String({ minLength: 1, maxLength: 50 }),
      location: Type.Optional(Type.String({ maxLength: 200, description: 'location text; blank for every location' })),
      start: Instant,
      end: Instant,
      notes: Type.Optional(Type.String({ maxLength: 2000 })),
    }),
    params: NoParams,
    query: NoQuery,
    status: 201,
    run: ({ db }, { client, body }) => createDntt(db, client.clientId, body),
  }),
  clientOperation({
    resource: 'dntt',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/dntt',
    summary: "List a client's DNTT entries",
    query: Type.Composite([PageQuery, Type.Object({ plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) })]),
    params: NoParams,
    body: NoBody,
    run: ({ db }, { client, query }) => listDntt(db, client.clientId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor, query.plate),
  }),
  ...alertOperations('vehicle-alerts', '/clients/:code/vehicles/:id/alert', 'vehicles', 'vehicle'),
  ...alertOperations('user-alerts', '/clients/:code/users/:id/alert', 'users', 'user'),
];
