import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { demoVehicle } from '../plates/demo.js';
import { createLocation, createTicketCategory, createViolation, createViolationType } from './service.js';

const DRIVER = 'stephen_14Oct_1114';

/**
 * The seed's sample violation (Pull API: Overdue Violations): ticket 1-100013 on AJNR123, a red
 * 2006 Chevrolet compact with Ontario passenger plates driven by stephen_14Oct_1114, "Parked in
 * Loading Zone" (BL-78, $50) in the Downtown Business District, Municipal, issued 2016-05-03
 * and due 2016-05-23: overdue and not yet sent to collections, with the seed's two attachments.
 */
export async function violationDemo(db: Kysely<DB>, { clientId }: DemoContext): Promise<void> {
  const existingDriver = await db.selectFrom('users').select('id').where('client_id', '=', clientId).where('unique_id', '=', DRIVER).executeTakeFirst();
  const driverId =
    existingDriver?.id ??
    (
      await db
        .insertInto('users')
        .values({
          client_id: clientId,
          unique_id: DRIVER,
          login_source: 'OPSCOM',
          first_name: DRIVER,
          last_name: DRIVER,
          user_name: DRIVER,
          email: `${DRIVER}@test`,
          street: '1234 Main Street',
          city: 'Ottawa',
          province: 'ON',
          postal_code: 'H0H0H0',
          street2: null,
          city2: null,
          province2: null,
          postal_code2: null,
          phone_cell: '6135551212',
          user_type_id: 7,
          employ_no: 'staff12341115',
          employee_phone: null,
          student_no: null,
          student_phone: null,
          driver_licence_num: 'DL 123451114',
          driver_licence_prov: 'ON',
          date_of_birth: '2020-10-14',
          locker_user_type_id: null,
          alert: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const vehicleId = await demoVehicle(db, clientId, 'AJNR123', { make_id: 13, vehicle_type_id: 5, colour_id: 14, year: 2006 });
  await db.insertInto('vehicle_drivers').values({ client_id: clientId, vehicle_id: vehicleId, user_id: driverId }).onConflict((oc) => oc.doNothing()).execute();

  const location = await createLocation(db, clientId, { name: 'Downtown Business District' });
  await createTicketCategory(db, clientId, { name: 'Municipal' });
  const type = await createViolationType(db, clientId, {
    description: 'Parked in Loading Zone',
    default_cost: '50.00',
    bylaw_code: 'BL-78',
    discount_amount: '10.00',
    discount_hours: 168,
    category: 'Municipal',
  });
  const violation = await createViolation(db, clientId, {
    ticket: '1-100013',
    vehicle_id: vehicleId,
    location: location.id,
    category: 'Municipal',
    violation_type_ids: [type.id],
    issued: '2016-05-03T20:00:00Z',
    due: '2016-05-23T20:00:00Z',
  });
  await db
    .insertInto('violation_attachments')
    .values(
      ['debf76b6', 'b11529e8'].map((suffix) => ({
        client_id: clientId,
        violation_id: violation.id,
        uuid: randomUUID(),
        storage_location: `oc_tomahawk/VIOLATIONS/2022/08/23/index-${suffix}.png`,
        name: `index-${suffix}`,
        ext: 'png',
        mime: 'image/png',
      })),
    )
    .execute();
}
