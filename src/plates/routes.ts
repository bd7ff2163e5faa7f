import type { ApiRouteDefinition } from '../core/api-route.js';
import { ApiError } from '../core/errors.js';
import { PLATE_FIELDS } from './fields.js';
import { validatePlate } from './service.js';

const SUMMARY = 'Pull API: Plate Validation — permits valid now, DNTT entries and alarm for a plate';

export const plateRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/v1/validate/plate',
    scope: 'plate-validate',
    summary: SUMMARY,
    description: 'Body: `api_token` (or `apiToken`), `client`, `plate`. Answers `{"error":0,"data":{"response","plate","responseJSON"},"message":""}`.',
    tags: ['plates'],
    envelope: 'plate',
    clientFrom: 'body',
    attributes: [{ spec: PLATE_FIELDS.plate, required: true }, { spec: PLATE_FIELDS.fuzzy }],
    errors: [9006, 9030, 9033],
    handler: async ({ db, caller, fields }) => {
      const plate = fields.text(PLATE_FIELDS.plate, true);
      const fuzzy = fields.flag(PLATE_FIELDS.fuzzy);
      const data = await validatePlate(db, caller.client.clientId, caller.client.timezone, plate, { fuzzy });
      return { error: 0, data, message: '' };
    },
  },
  {
    method: 'POST',
    url: '/:client/v1/validate/plate/:plate',
    scope: 'plate-validate',
    summary: `${SUMMARY} (the older documented form)`,
    description: 'The plate in the path; answers the `data` object of the newer form at the top level.',
    tags: ['plates'],
    attributes: [{ spec: PLATE_FIELDS.fuzzy }],
    errors: [9006, 9030, 9033],
    handler: async ({ db, caller, request, fields }) => {
      const plate = (request.params as { plate?: string }).plate?.trim() ?? '';
      if (plate === '') throw new ApiError(9006, 'plate');
      if ([...plate].length > PLATE_FIELDS.plate.max) throw new ApiError(9030, 'plate');
      const fuzzy = fields.flag(PLATE_FIELDS.fuzzy);
      const data = await validatePlate(db, caller.client.clientId, caller.client.timezone, plate, { fuzzy });
      return {
        response: data.response,
        plate: data.plate,
        responseJSON: data.responseJSON,
        ...(data.responseJSON.active ? { active: data.responseJSON.active } : {}),
      };
    },
  },
];
