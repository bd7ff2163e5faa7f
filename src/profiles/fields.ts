import type { FieldSpec, Fields } from '../core/fields.js';
import { ApiError } from '../core/errors.js';

/** The attributes of a user profile (Push API: User Create/Update), with the seed's names and limits. */
export const PROFILE_FIELDS = {
  unique_id: { names: ['unique_id'], kind: 'text', max: 50, missing: 9013 },
  login_source: {
    names: ['login_source'],
    kind: 'text',
    max: 20,
    missing: 9014,
    about: "one of the client's login sources, in any case (OPSCOM always exists); another is 9015",
  },
  first_name: { names: ['first_name'], kind: 'text', max: 50, missing: 9017 },
  last_name: { names: ['last_name'], kind: 'text', max: 50, missing: 9018 },
  user_name: { names: ['user_name'], kind: 'text', max: 50, about: 'unique per client (9020)' },
  email: { names: ['email'], kind: 'text', max: 100, missing: 9016, about: 'an address (one @, no blanks), unique per client in any case (9019)' },
  street: { names: ['street'], kind: 'text', max: 255 },
  city: { names: ['city'], kind: 'text', max: 50 },
  province: { names: ['province', 'state'], kind: 'text', max: 2, about: 'upper-cased' },
  postal_code: { names: ['postal_code', 'zip'], kind: 'text', max: 20 },
  street2: { names: ['street2'], kind: 'text', max: 20 },
  city2: { names: ['city2'], kind: 'text', max: 50 },
  province2: { names: ['province2', 'state2'], kind: 'text', max: 2, about: 'upper-cased' },
  postal_code2: { names: ['postal_code2', 'zip2'], kind: 'text', max: 20 },
  phone_cell: { names: ['phone_cell'], kind: 'text', max: 20 },
  user_type_id: { names: ['user_type_id'], kind: 'id', about: "one of the client's user types" },
  employ_no: { names: ['employ_no'], kind: 'text', max: 50 },
  employee_phone: { names: ['employee_phone'], kind: 'text', max: 50 },
  student_no: { names: ['student_no'], kind: 'text', max: 50 },
  student_phone: { names: ['student_phone'], kind: 'text', max: 50 },
  driver_licence_num: { names: ['driver_licence_num', 'driver_license_num'], kind: 'text', max: 255 },
  date_of_birth: { names: ['date_of_birth'], kind: 'date' },
  locker_user_type_id: { names: ['locker_user_type_id'], kind: 'id', about: "one of the client's locker user types" },
  driver_licence_prov: { names: ['driver_licence_prov', 'driver_license_state'], kind: 'text', max: 2, about: 'upper-cased' },
} as const satisfies Record<string, FieldSpec>;

/** Plain text attributes, stored as sent (trimmed). */
const TEXT_ATTRIBUTES = [
  'first_name',
  'last_name',
  'user_name',
  'street',
  'city',
  'postal_code',
  'street2',
  'city2',
  'postal_code2',
  'phone_cell',
  'employ_no',
  'employee_phone',
  'student_no',
  'student_phone',
  'driver_licence_num',
] as const;

/** Postal abbreviations, stored upper-case (the seed sends `"province":"bc"`). */
const CODE_ATTRIBUTES = ['province', 'province2', 'driver_licence_prov'] as const;

type TextAttribute = (typeof TEXT_ATTRIBUTES)[number] | (typeof CODE_ATTRIBUTES)[number] | 'email' | 'date_of_birth';

/** The user columns a profile push may set, typed as stored. */
export type ProfileValues = { [K in TextAttribute]?: string } & { user_type_id?: number; locker_user_type_id?: number };

export interface ProfileInput {
  readonly uniqueId: string;
  readonly loginSource: string;
  /** Only the attributes the request gave: an update changes exactly these. */
  readonly values: ProfileValues;
  /** The names under which the type ids were given, for 9033 on an unknown id. */
  readonly fieldNames: { readonly user_type_id: string; readonly locker_user_type_id: string };
}

/** Local part, `@`, and a domain without blanks (the seed's own users have `name@test`). */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/;

/** Reads and checks a profile's attributes (no database access): 9013, 9014, 9030, 9033. */
export function readProfile(fields: Fields): ProfileInput {
  const f = PROFILE_FIELDS;
  const uniqueId = fields.text(f.unique_id, true);
  const loginSource = fields.text(f.login_source, true);
  const values: ProfileValues = {};
  const set = <K extends keyof ProfileValues>(name: K, value: ProfileValues[K]) => {
    if (value !== undefined) values[name] = value;
  };
  for (const name of TEXT_ATTRIBUTES) set(name, fields.text(f[name]));
  for (const name of CODE_ATTRIBUTES) set(name, fields.text(f[name])?.toUpperCase());
  const email = fields.text(f.email);
  if (email !== undefined && !EMAIL.test(email)) throw new ApiError(9033, fields.nameOf(f.email));
  set('email', email);
  set('date_of_birth', fields.date(f.date_of_birth));
  set('user_type_id', fields.id(f.user_type_id));
  set('locker_user_type_id', fields.id(f.locker_user_type_id));
  return {
    uniqueId,
    loginSource,
    values,
    fieldNames: { user_type_id: fields.nameOf(f.user_type_id), locker_user_type_id: fields.nameOf(f.locker_user_type_id) },
  };
}
