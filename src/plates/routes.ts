import type { ApiContext, ApiRouteDefinition } from '../core/api-route.js';
import { ApiError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import type { Caller } from '../core/auth.js';
import { PLATE_FIELDS } from './fields.js';
import { validatePlateAsOf } from './as-of.js';
import { validatePlate } from './service.js';

const SUMMARY = 'Pull API: Plate Validation — permits valid now, DNTT entries and alarm for a plate';

/** The validation asked for: of now, or as of the body's `at` (docs/api.md#as-of-validation). */
function validation(db: ApiContext['db'], caller: Caller, fields: Fields, plate: string) {
  const at = fields.timestamp(PLATE_FIELDS.at);
  const { clientId, timezone, inputTimeZone } = caller.client;
  // The misread-tolerant candidates come from what is on file now; an as-of answer has none.
  if (at === undefined) return validatePlate(db, clientId, timezone, plate, { fuzzy: fields.flag(PLATE_FIELDS.fuzzy) });
  return validatePlateAsOf(db, clientId, { input: inputTimeZone, display: timezone }, plate, at);
}

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
    attributes: [{ spec: PLATE_FIELDS.plate, required: true }, { spec: PLATE_FIELDS.at }, { spec: PLATE_FIELDS.fuzzy }],
    errors: [9006, 9030, 9033, 9007],
    handler: async ({ db, caller, fields }) => {
      const plate = fields.text(PLATE_FIELDS.plate, true);
      const data = await validation(db, caller, fields, plate);
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
    attributes: [{ spec: PLATE_FIELDS.at }, { spec: PLATE_FIELDS.fuzzy }],
    errors: [9006, 9030, 9033, 9007],
    handler: async ({ db, caller, fields, request }) => {
      const plate = (request.params as { plate?: string }).plate?.trim() ?? '';
      if (plate === '') throw new ApiError(9006, 'plate');
      if ([...plate].length > PLATE_FIELDS.plate.max) throw new ApiError(9030, 'plate');
      const data = await validation(db, caller, fields, plate);
      const active = 'as_of' in data.responseJSON ? data.responseJSON.as_of.active : data.responseJSON.active;
      return { response: data.response, plate: data.plate, responseJSON: data.responseJSON, ...(active ? { active } : {}) };
    },
  },
];
