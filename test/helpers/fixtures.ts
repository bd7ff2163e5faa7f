import type { Kysely } from 'kysely';
import { normalisePlate } from '../../src/core/plates.js';
import type { DB } from '../../src/db/schema.js';

/**
 * Users and vehicles for suites of other areas (permits, enforcement) that need some on file.
 * Province 9 is Ontario and plate type 4 Passenger in every client's default lists.
 */
export async function createUser(db: Kysely<DB>, clientId: number, fields: { first_name?: string; last_name?: string; email?: string; alert?: string } = {}) {
  const uniqueId = `u-${Math.random().toString(36).slice(2, 10)}`;
  return db
    .insertInto('users')
    .values({
      client_id: clientId,
      unique_id: uniqueId,
      login_source: 'OPSCOM',
      first_name: fields.first_name ?? 'Test',
      last_name: fields.last_name ?? 'User',
      email: fields.email ?? `${uniqueId}@example.test`,
      alert: fields.alert ?? null,
      user_name: null,
      street: null,
      city: null,
      province: null,
      postal_code: null,
      street2: null,
      city2: null,
      province2: null,
      postal_code2: null,
      phone_cell: null,
      user_type_id: null,
      employ_no: null,
      employee_phone: null,
      student_no: null,
      student_phone: null,
      driver_licence_num: null,
      driver_licence_prov: null,
      date_of_birth: null,
      locker_user_type_id: null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function createVehicle(
  db: Kysely<DB>,
  clientId: number,
  fields: {
    plate: string;
    province_id?: number;
    plate_type_id?: number;
    make_id?: number;
    colour_id?: number;
    vehicle_type_id?: number;
    alert?: string;
    driver_user_ids?: number[];
  },
) {
  const vehicle = await db
    .insertInto('vehicles')
    .values({
      client_id: clientId,
      plate: fields.plate,
      plate_norm: normalisePlate(fields.plate),
      province_id: fields.province_id ?? 9,
      plate_type_id: fields.plate_type_id ?? 4,
      make_id: fields.make_id ?? null,
      colour_id: fields.colour_id ?? null,
      vehicle_type_id: fields.vehicle_type_id ?? null,
      year: null,
      vin: null,
      alert: fields.alert ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  for (const userId of fields.driver_user_ids ?? []) {
    await db.insertInto('vehicle_drivers').values({ client_id: clientId, vehicle_id: vehicle.id, user_id: userId }).execute();
  }
  return vehicle;
}
