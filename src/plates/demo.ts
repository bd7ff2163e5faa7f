import { sql, type Kysely } from 'kysely';
import { Fields } from '../core/fields.js';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { createLot } from '../lots/service.js';
import { createPermitType, createStandardPermit } from '../permits/standard.js';
import { readVehicle } from '../vehicles/fields.js';
import { createVehicle } from '../vehicles/service.js';
import { createDntt, setAlert } from './admin-service.js';
import { onlyRow } from '../db/database.js';

const CAMPUS_LOT = 'Main Campus';

/** A demo vehicle (Ontario, Passenger), through the same reader and service as vehicles/push. */
export async function demoVehicle(db: Kysely<DB>, clientId: number, vehicle: Record<string, string>, driverUserIds: number[] = []): Promise<number> {
  const created = await createVehicle(db, clientId, readVehicle(new Fields({ plateTypeID: '4', provID: '9', ...vehicle })), driverUserIds);
  return created.id;
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
  const { year_start: start, next_year_end: end, dntt_end: dnttEnd, lot6_start: lot6Start, campus_start: campusStart } = onlyRow(bounds);

  const abc123 = await demoVehicle(db, clientId, { plate: 'ABC123' });
  const abc890 = await demoVehicle(db, clientId, { plate: 'ABC890' });
  const abc456 = await demoVehicle(db, clientId, { plate: 'ABC456' });
  // A lot of its own, so these permits leave the seed's Lot Value sample rows as they are.
  await createLot(db, clientId, { name: CAMPUS_LOT, lot_type: 'M', default_cost: 0, capacity: 100 });
  for (const shortName of ['BIKE', 'MOTO-S', 'LOT3']) await createPermitType(db, clientId, { short_name: shortName, lot: CAMPUS_LOT });
  const grants: Array<[number, string]> = [
    [abc123, 'BIKE'],
    [abc123, 'MOTO-S'],
    [abc890, 'LOT3'],
    [abc890, 'MOTO-S'],
  ];
  for (const [vehicleId, permitType] of grants) {
    await createStandardPermit(db, clientId, { permit_type: permitType, vehicle_ids: [vehicleId], start: start.toISOString(), end: end.toISOString() });
  }
  await setAlert(db, clientId, 'vehicles', abc123, 'Wanted to talk with.');
  await setAlert(db, clientId, 'vehicles', abc456, '15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***');
  await createDntt(db, clientId, {
    plate: 'ABC123',
    location: 'Main Campus',
    start: campusStart.toISOString(),
    end: dnttEnd.toISOString(),
    notes: 'CLEAR FOR ANY PAY AREA',
  });
  await createDntt(db, clientId, {
    plate: 'DEF123',
    location: 'Lot 6',
    start: lot6Start.toISOString(),
    end: dnttEnd.toISOString(),
    notes: 'Hertz truck has permission to park overnight in lot 6. Rental for We-Move-It Services',
  });
}
