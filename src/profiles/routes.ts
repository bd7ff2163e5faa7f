import { Type } from '@sinclair/typebox';
import type { ApiRouteDefinition } from '../core/api-route.js';
import { readProfile } from './fields.js';
import { saveProfile } from './service.js';
import { listUserTypes } from './user-types.js';

export const profileRoutes: ApiRouteDefinition[] = [
  {
    method: 'POST',
    url: '/:client/v1/profiles/types/list',
    scope: 'profile-types',
    summary: 'Pull API: UserType — the client’s profile user types',
    tags: ['profiles'],
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
      'reference_id is the user\'s numeric id.',
    tags: ['profiles'],
    response: Type.Object({ status: Type.Literal('success'), reference_id: Type.Integer() }),
    handler: async ({ db, caller, fields }) => {
      const id = await saveProfile(db, caller.client.clientId, readProfile(fields), 'push');
      return { status: 'success', reference_id: id };
    },
  },
];
