import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import type { FieldSpec } from '../core/fields.js';
import { attributesOf } from '../core/api-openapi.js';
import { PROFILE_FIELDS, readProfile } from './fields.js';
import { saveProfile } from './service.js';
import { listUserTypes } from './user-types.js';

const ON_CREATE = 'when the push creates the user (checked in the order email, first_name, last_name)';

export const profileRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/:client/v1/profiles/types/list',
    scope: 'profile-types',
    summary: 'Pull API: UserType — the client’s profile user types',
    tags: ['profiles'],
    attributes: [],
    errors: [],
    response: Type.Object({
      status: Type.Literal('success'),
      user_types: Type.Array(Type.Object({ id: Type.String(), type_name: Type.String(), ext_info: Type.String() })),
    }),
    handler: async ({ db, caller }) => {
      const types = await listUserTypes(db, caller.client.clientId);
      return {
        status: 'success',
        user_types: types.map((type) => ({ id: String(type.id), type_name: type.type_name, ext_info: type.ext_info })),
      };
    },
  },
  {
    method: 'POST',
    url: '/:client/v1/profiles/push',
    scope: 'profile-push',
    summary: 'Push API: User Create/Update',
    description:
      'Creates the user keyed by (unique_id, login_source), or changes only the given attributes of the one on file. ' +
      "reference_id is the user's numeric id.",
    tags: ['profiles'],
    response: Type.Object({ status: Type.Literal('success'), reference_id: Type.Integer() }),
    attributes: attributesOf(
      PROFILE_FIELDS,
      new Map<FieldSpec, true | string>([
        [PROFILE_FIELDS.unique_id, true],
        [PROFILE_FIELDS.login_source, true],
        [PROFILE_FIELDS.first_name, ON_CREATE],
        [PROFILE_FIELDS.last_name, ON_CREATE],
        [PROFILE_FIELDS.email, ON_CREATE],
      ]),
    ),
    errors: [9013, 9014, 9015, 9016, 9017, 9018, 9019, 9020, 9030, 9033],
    handler: async ({ db, caller, fields }) => {
      const id = await saveProfile(db, caller.client.clientId, readProfile(fields), 'push');
      return { status: 'success', reference_id: id };
    },
  },
];
