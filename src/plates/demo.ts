import { sql, type Kysely } from 'kysely';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { createLot } from '../lots/service.js';

/** The demo client's vehicle with `plate` (Ontario, Passenger), created when absent. */
export async function demoVehicle(db: Kysely<DB>, clientId: number, plate: string, fields: { make_id?: number; vehicle_type_id?: number; colour_id?: number; year?: number } = {}) {
  const plateNorm = normalisePlate(plate);
  const existing = await db.selectFrom('vehicles').select('id').where('client_id', '=', clientId).where('plate_norm', '=', plateNorm).where('province_id', '=', 9).executeTakeFirst();
  if (existing !== undefined) return existing.id;
  const vehicle = await db
    .insertInto('vehicles')
    .values({
      client_id: clientId,
      plate,
      plate_norm: plateNorm,
      plate_type_id: 4,
      province_id: 9,
      make_id: fields.make_id ?? null,
      vehicle_type_id: fields.vehicle_type_id ?? null,
      colour_id: fields.colour_id ?? null,
      year: fields.year ?? null,
      vin: null,
      alert: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return vehicle.id;
}

const CAMPUS_LOT = 'Main Campus';

async function permitType(db: Kysely<DB>, clientId: number, shortName: string, lotName: string): Promise<number> {
  const existing = await db.selectFrom('permit_types').select('id').where('client_id', '=', clientId).where(sql`lower(short_name)`, '=', shortName.toLowerCase()).executeTakeFirst();
  if (existing !== undefined) return existing.id;
  const lot = await db.selectFrom('lots').select('id').where('client_id', '=', clientId).where(sql`lower(name)`, '=', lotName.toLowerCase()).executeTakeFirstOrThrow();
  const type = await db.insertInto('permit_types').values({ client_id: clientId, short_name: shortName, lot_id: lot.id }).returning('id').executeTakeFirstOrThrow();
  return type.id;
}

/**
 * The plates of the seed's plate-validation samples, valid whenever the demo runs: ABC123
 * (BIKE and MOTO-S, an alarm and a DNTT entry: the merged sample), ABC890 (LOT3 and MOTO-S),
 * ABC456 (the Lex Luthor alarm) and DEF123 (the Hertz DNTT entry). Permits run from the start
 * of this year to the last second of next year, in the client's time zone.
 */
export async function plateDemo(db: Kysely<DB>, { clientId }: DemoContext): Promise<void> {
  const client = await db.selectFrom('clients').select('timezone').where('client_id', '=', clientId).executeTakeFirstOrThrow();
  const tz = client.timezone;
  const bounds = await sql<{ year_start: Date; next_year_end: Date; dntt_end: Date; lot6_start: Date; campus_start: Date }>`
    select (date_trunc('year', now() at time zone ${tz}) at time zone ${tz}) as year_start,
           ((date_trunc('year', now() at time zone ${tz}) + interval '2 years' - interval '1 second') at time zone ${tz}) as next_year_end,
           ((date_trunc('year', now() at time zone ${tz}) + interval '2 years' - interval '1 minute') at time zone ${tz}) as dntt_end,
           (timestamp '2024-10-23 00:00:00' at time zone ${tz}) as lot6_start,
           (timestamp '2024-11-15 00:00:00' at time zone ${tz}) as campus_start`.execute(db);
  const { year_start: start, next_year_end: end, dntt_end: dnttEnd, lot6_start: lot6Start, campus_start: campusStart } = bounds.rows[0];

  const abc123 = await demoVehicle(db, clientId, 'ABC123');
  const abc890 = await demoVehicle(db, clientId, 'ABC890');
  const abc456 = await demoVehicle(db, clientId, 'ABC456');
  // A lot of its own, so these permits leave the seed's Lot Value sample rows as they are.
  const campus = await db.selectFrom('lots').select('id').where('client_id', '=', clientId).where('name', '=', CAMPUS_LOT).executeTakeFirst();
  if (campus === undefined) await createLot(db, clientId, { name: CAMPUS_LOT, lot_type: 'M', default_cost: 0, capacity: 100 });
  const grants: Array<[number, string, string]> = [
    [abc123, 'BIKE', CAMPUS_LOT],
    [abc123, 'MOTO-S', CAMPUS_LOT],
    [abc890, 'LOT3', CAMPUS_LOT],
    [abc890, 'MOTO-S', CAMPUS_LOT],
  ];
  for (const [vehicleId, shortName, lotName] of grants) {
    const permit = await db
      .insertInto('standard_permits')
      .values({ client_id: clientId, permit_type_id: await permitType(db, clientId, shortName, lotName), user_id: null, start_at: start, end_at: end, deleted_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('standard_permit_vehicles').values({ client_id: clientId, permit_id: permit.id, vehicle_id: vehicleId }).execute();
  }
  await db.updateTable('vehicles').set({ alert: 'Wanted to talk with.' }).where('client_id', '=', clientId).where('id', '=', abc123).execute();
  await db
    .updateTable('vehicles')
    .set({ alert: '15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***' })
    .where('client_id', '=', clientId)
    .where('id', '=', abc456)
    .execute();
  await db
    .insertInto('dntt_entries')
    .values([
      { client_id: clientId, plate: 'ABC123', plate_norm: 'ABC123', location: 'Main Campus', start_at: campusStart, end_at: dnttEnd, notes: 'CLEAR FOR ANY PAY AREA' },
      {
        client_id: clientId,
        plate: 'DEF123',
        plate_norm: 'DEF123',
        location: 'Lot 6',
        start_at: lot6Start,
        end_at: dnttEnd,
        notes: 'Hertz truck has permission to park overnight in lot 6. Rental for We-Move-It Services',
      },
    ])
    .execute();
}
