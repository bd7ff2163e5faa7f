import { Type } from '@sinclair/typebox';
import { Answer, DateTime, Id, Nullable, PageQuery, RowId } from '../admin/schemas.js';
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

export const UserListQuery = Type.Object({
  ...PageQuery.properties,
  email: Type.Optional(Type.String({ description: 'only this email (any case)' })),
  name: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'only users whose first name, last name or full name starts with this (any case)' }),
  ),
  unique_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only the users with this unique id (exact)' })),
});

export const NewUserType = Type.Object({
  id: Type.Optional(RowId({ description: 'the next free id when absent' })),
  type_name: Type.String({ minLength: 1, maxLength: 100 }),
  ext_info: Type.Optional(Type.String({ maxLength: 100 })),
});

export const NewLockerUserType = Type.Object({
  id: Type.Optional(RowId()),
  type_name: Type.String({ minLength: 1, maxLength: 100 }),
});

const Text = Nullable(Type.String());

/** A user as the operator sees it, with the vehicles they drive. */
export const UserRecord = Answer({
  id: Id,
  unique_id: Type.String(),
  login_source: Type.String(),
  first_name: Text,
  last_name: Text,
  user_name: Text,
  email: Text,
  street: Text,
  city: Text,
  province: Text,
  postal_code: Text,
  street2: Text,
  city2: Text,
  province2: Text,
  postal_code2: Text,
  phone_cell: Text,
  user_type_id: Nullable(Id),
  employ_no: Text,
  employee_phone: Text,
  student_no: Text,
  student_phone: Text,
  driver_licence_num: Text,
  driver_licence_prov: Text,
  date_of_birth: Nullable(Type.String({ format: 'date', description: 'yyyy-mm-dd' })),
  locker_user_type_id: Nullable(Id),
  alert: Nullable(Type.String({ description: 'shown as ALARM by plate validation' })),
  created_at: DateTime,
  updated_at: DateTime,
  vehicle_ids: Type.Array(Id),
});

export const UserTypeRecord = Answer({ id: Id, type_name: Type.String(), ext_info: Type.String() });

export const LockerUserTypeRecord = Answer({ id: Id, type_name: Type.String() });
