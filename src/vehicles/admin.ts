import { DEFAULT_PAGE_SIZE, type AdminOperation, clientOperation, NoParams, NoQuery, NoBody } from '../admin/operation.js';
import { IdParams, Page, PageQuery } from '../admin/schemas.js';
import { Fields } from '../core/fields.js';
import type { LookupKind } from '../db/schema.js';
import { readVehicle } from './fields.js';
import { LOOKUP_LABELS, createLookup, listLookups } from './lookups.js';
import { CreatedVehicle, LookupRecord, NewDriver, NewLookup, VehicleBody, VehicleListQuery, VehicleRecord } from './schemas.js';
import { addDriver, createVehicle, listVehicles, showVehicle } from './service.js';

/** The admin resource of each lookup list: one code path, five resources. */
const LOOKUP_RESOURCES: ReadonlyArray<readonly [resource: string, kind: LookupKind]> = [
  ['plate-types', 'plate_type'],
  ['provinces', 'province'],
  ['makes', 'make'],
  ['vehicle-types', 'vehicle_type'],
  ['colours', 'colour'],
];

const lookupOperations: AdminOperation[] = LOOKUP_RESOURCES.flatMap(([resource, kind]): AdminOperation[] => [
  clientOperation({
    resource,
    action: 'create',
    method: 'POST',
    path: `/clients/:code/${resource}`,
    summary: `Add a ${LOOKUP_LABELS[kind]} to a client's list (the next id)`,
    body: NewLookup(kind === 'province'),
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: LookupRecord,
    run: ({ db }, { client, body }) => createLookup(db, client.clientId, kind, body),
  }),
  clientOperation({
    resource,
    action: 'list',
    method: 'GET',
    path: `/clients/:code/${resource}`,
    summary: `List a client's ${LOOKUP_LABELS[kind]} list`,
    query: PageQuery,
    params: NoParams,
    body: NoBody,
    response: Page(LookupRecord),
    run: ({ db }, { client, query }) => listLookups(db, client.clientId, kind, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor),
  }),
]);

export const vehicleOperations: AdminOperation[] = [
  ...lookupOperations,
  clientOperation({
    resource: 'vehicles',
    action: 'create',
    method: 'POST',
    path: '/clients/:code/vehicles',
    summary: 'Create a vehicle (the attributes of vehicles/push) with its drivers',
    body: VehicleBody,
    params: NoParams,
    query: NoQuery,
    status: 201,
    response: CreatedVehicle,
    run: async ({ db }, { client, body }) => {
      const { driver_user_ids: drivers, ...attributes } = body;
      const created = await createVehicle(db, client.clientId, readVehicle(new Fields(attributes)), drivers ?? []);
      return { ...(await showVehicle(db, client.clientId, created.id)), warnings: created.warnings };
    },
  }),
  clientOperation({
    resource: 'vehicles',
    action: 'list',
    method: 'GET',
    path: '/clients/:code/vehicles',
    summary: "List a client's vehicles",
    query: VehicleListQuery,
    params: NoParams,
    body: NoBody,
    response: Page(VehicleRecord),
    run: ({ db }, { client, query }) =>
      listVehicles(db, client.clientId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, plate: query.plate }),
  }),
  clientOperation({
    resource: 'vehicles',
    action: 'show',
    method: 'GET',
    path: '/clients/:code/vehicles/:id',
    summary: 'Show a vehicle with its lookups and drivers',
    params: IdParams,
    query: NoQuery,
    body: NoBody,
    response: VehicleRecord,
    run: ({ db }, { client, params }) => showVehicle(db, client.clientId, params.id),
  }),
  clientOperation({
    resource: 'vehicles',
    action: 'add-driver',
    method: 'POST',
    path: '/clients/:code/vehicles/:id/drivers',
    summary: 'Link a user to a vehicle as a driver',
    params: IdParams,
    body: NewDriver,
    query: NoQuery,
    response: VehicleRecord,
    run: ({ db }, { client, params, body }) => addDriver(db, client.clientId, params.id, body.user_id),
  }),
];
