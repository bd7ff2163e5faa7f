import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { readVehicle } from './fields.js';
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
