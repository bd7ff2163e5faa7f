import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { Fields } from '../core/fields.js';
import { demoVehicle } from '../plates/demo.js';
import { readProfile } from '../profiles/fields.js';
import { saveProfile } from '../profiles/service.js';
import { BUILT_IN_LOGIN_SOURCE } from '../tenants/service.js';
import { createLocation, createTicketCategory, createViolation, createViolationType } from './service.js';

const DRIVER = 'stephen_14Oct_1114';

/**
 * The seed's sample violation (Pull API: Overdue Violations): ticket 1-100013 on AJNR123, a red
 * 2006 Chevrolet compact with Ontario passenger plates driven by stephen_14Oct_1114, "Parked in
 * Loading Zone" (BL-78, $50) in the Downtown Business District, Municipal, issued 2016-05-03
 * and due 2016-05-23: overdue and not yet sent to collections, with the seed's two attachments.
 */
export async function violationDemo(db: Kysely<DB>, { clientId }: DemoContext): Promise<void> {
  const driver = readProfile(
    new Fields({
      unique_id: DRIVER,
      login_source: BUILT_IN_LOGIN_SOURCE,
      first_name: DRIVER,
      last_name: DRIVER,
      user_name: DRIVER,
      email: `${DRIVER}@test`,
      street: '1234 Main Street',
      city: 'Ottawa',
      province: 'ON',
      postal_code: 'H0H0H0',
      phone_cell: '6135551212',
      user_type_id: '7',
      employ_no: 'staff12341115',
      driver_licence_num: 'DL 123451114',
      driver_licence_prov: 'ON',
      date_of_birth: '2020-10-14',
    }),
  );
  const driverId = await saveProfile(db, clientId, driver, 'create');
  const vehicleId = await demoVehicle(db, clientId, { plate: 'AJNR123', makeID: '13', typeID: '5', colourID: '14', year: '2006' }, [driverId]);

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
