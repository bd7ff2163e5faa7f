import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { attributesOf } from '../core/api-openapi.js';
import type { FieldSpec } from '../core/fields.js';
import { readVehicle, VEHICLE_FIELDS } from './fields.js';
import { createVehicle } from './service.js';

export const vehicleRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/:client/v1/vehicles/push',
    scope: 'vehicle-create',
    summary: 'Push API: Vehicle Create',
    description:
      'Creates a vehicle. Lookup attributes take an id (`makeID`) or a name (`make`); an unknown name is added to the ' +
      "client's list with a warning, an all-digit name is read as an id when that id exists. `vehicle_id_id` is spelled as the seed spells it.",
    tags: ['vehicles'],
    attributes: attributesOf(
      VEHICLE_FIELDS,
      new Map<FieldSpec, true | string>([
        [VEHICLE_FIELDS.plate, true],
        [VEHICLE_FIELDS.plateType, 'when plateTypeID is not given'],
        [VEHICLE_FIELDS.province, 'when provID is not given'],
      ]),
    ),
    errors: [9006, 9021, 9010, 9011, 9033, 9012],
    response: Type.Object({
      status: Type.Literal('success'),
      vehicle_id_id: Type.String(),
      vehicle_id: Type.String(),
      warnings: Type.Array(Type.String()),
    }),
    handler: async ({ db, caller, fields }) => {
      const input = readVehicle(fields);
      const vehicle = await createVehicle(db, caller.client.clientId, input);
      return { status: 'success', vehicle_id_id: String(vehicle.id), vehicle_id: String(vehicle.id), warnings: vehicle.warnings };
    },
  },
];
