import { sql, type Kysely } from 'kysely';
import { normalisePlate } from '../../src/core/plates.js';
import type { DB } from '../../src/db/schema.js';

/**
 * Permits written straight into the permit tables (002_permits.sql) for suites that read
 * permits (plate validation) while the permits admin and push endpoints are built elsewhere.
 */

/** The instant that reads `local` (`YYYY-MM-DD HH:MM:SS`) on a clock in `timeZone`. */
export async function localTime(db: Kysely<DB>, local: string, timeZone: string): Promise<Date> {
  const result = await sql<{ at: Date }>`select (${local}::timestamp at time zone ${timeZone}) as at`.execute(db);
  return result.rows[0]!.at;
}

export async function createPermitType(db: Kysely<DB>, clientId: number, shortName: string): Promise<number> {
  const lot = await db
    .insertInto('lots')
    .values({ client_id: clientId, name: `Lot for ${shortName} ${Math.random().toString(36).slice(2, 8)}`, lot_type: 'M' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const type = await db
    .insertInto('permit_types')
    .values({ client_id: clientId, short_name: shortName, lot_id: lot.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  return type.id;
}

export async function createStandardPermit(
  db: Kysely<DB>,
  clientId: number,
  fields: { permitTypeId: number; start: Date; end: Date; vehicleIds?: number[]; plates?: string[]; deleted?: boolean },
): Promise<number> {
  const permit = await db
    .insertInto('standard_permits')
    .values({
      client_id: clientId,
      permit_type_id: fields.permitTypeId,
      user_id: null,
      start_at: fields.start,
      end_at: fields.end,
      deleted_at: fields.deleted ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const vehicleId of fields.vehicleIds ?? []) {
    await db.insertInto('standard_permit_vehicles').values({ client_id: clientId, permit_id: permit.id, vehicle_id: vehicleId }).execute();
  }
  for (const plate of fields.plates ?? []) {
    await db
      .insertInto('standard_permit_plates')
      .values({ client_id: clientId, permit_id: permit.id, plate, plate_norm: normalisePlate(plate) })
      .execute();
  }
  return permit.id;
}

export async function createPushedPermit(
  db: Kysely<DB>,
  clientId: number,
  integrationId: number,
  fields: { plate: string; start: Date; end: Date; zone?: string; permitNo?: string; deleted?: boolean },
): Promise<void> {
  await db
    .insertInto('pushed_permits')
    .values({
      client_id: clientId,
      reference_id: crypto.randomUUID(),
      integration_id: integrationId,
      plate: fields.plate,
      plate_norm: normalisePlate(fields.plate),
      amount: null,
      currency: 'CAD',
      start_at: fields.start,
      end_at: fields.end,
      permit_no: fields.permitNo ?? null,
      ticket_number: null,
      zone_name: fields.zone ?? null,
      lot_id: null,
      promo_code: null,
      deleted_at: fields.deleted ? new Date() : null,
    })
    .execute();
}
