import { Type } from '@sinclair/typebox';
import { PageQuery, RowId } from '../admin/schemas.js';
import { PROFILE_FIELDS } from './fields.js';

/**
 * The profile attributes under their first seed name. The schema documents them (OpenAPI, CLI
 * options); the checks are profiles/push's own reader, so both sides answer alike.
 */
export const UserBody = Type.Object(
  Object.fromEntries(
    Object.entries(PROFILE_FIELDS).map(([name, spec]) => [
      name,
      Type.Optional(
        spec.kind === 'id'
          ? Type.Union([RowId(), Type.String()])
          : Type.String({ description: `${spec.names.join(' | ')}${'max' in spec ? `, up to ${spec.max} characters` : ''}` }),
      ),
    ]),
  ),
);

export const UserListQuery = Type.Object({ ...PageQuery.properties, email: Type.Optional(Type.String({ description: 'only this email (any case)' })) });

export const NewUserType = Type.Object({
  id: Type.Optional(RowId({ description: 'the next free id when absent' })),
  type_name: Type.String({ minLength: 1, maxLength: 100 }),
  ext_info: Type.Optional(Type.String({ maxLength: 100 })),
});

export const NewLockerUserType = Type.Object({
  id: Type.Optional(RowId()),
  type_name: Type.String({ minLength: 1, maxLength: 100 }),
});
