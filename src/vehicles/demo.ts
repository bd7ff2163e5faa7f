import type { Kysely } from 'kysely';
import { Fields } from '../core/fields.js';
import type { DB } from '../db/schema.js';
import type { DemoContext } from '../demo/index.js';
import { readProfile } from '../profiles/fields.js';
import { saveProfile } from '../profiles/service.js';
import { BUILT_IN_LOGIN_SOURCE } from '../tenants/service.js';
import { readVehicle } from './fields.js';
import { createVehicle } from './service.js';

/**
 * Demo users and vehicles with drivers, written through the same readers and services as the
 * pushes. The plates stay clear of those other demo steps and the seeds' examples use
 * (PL8RDR must stay pushable, AJNR123, ABC123 and the like belong to enforcement and plates).
 */
const DEMO_USERS = [
  {
    unique_id: 'demo-alex',
    first_name: 'Alex',
    last_name: 'Martin',
    user_name: 'amartin',
    email: 'alex.martin@tomahawk.example',
    street: '12 College Street',
    city: 'Ottawa',
    province: 'ON',
    postal_code: 'K1N 6N5',
    phone_cell: '613-555-0101',
    user_type_id: '1',
    student_no: 'SN 100200300',
    date_of_birth: '2003-04-17',
    driver_licence_num: 'M1234-56789-03417',
    driver_licence_prov: 'ON',
  },
  {
    unique_id: 'demo-priya',
    first_name: 'Priya',
    last_name: 'Patel',
    user_name: 'ppatel',
    email: 'priya.patel@tomahawk.example',
    street: '88 Rideau Road',
    city: 'Gatineau',
    province: 'QC',
    postal_code: 'J8X 2B2',
    phone_cell: '819-555-0144',
    user_type_id: '7',
    employ_no: 'staff-4471',
    employee_phone: '613-555-0199',
    locker_user_type_id: '2',
  },
  {
    unique_id: 'demo-sam',
    first_name: 'Sam',
    last_name: 'Lee',
    user_name: 'slee',
    email: 'sam.lee@tomahawk.example',
    city: 'Ottawa',
    province: 'ON',
    user_type_id: '11',
  },
] as const;

const DEMO_VEHICLES = [
  { vehicle: { plate: 'TOMA001', plateTypeID: '4', provID: '9', makeID: '13', typeID: '5', colourID: '14', year: '2006' }, drivers: ['demo-alex'] },
  {
    vehicle: { plate: 'TOMA002', plateType: 'Passenger', prov: 'QC', make: 'Honda', type: 'Sedan', colour: 'Blue', year: '2019' },
    drivers: ['demo-priya', 'demo-alex'],
  },
  {
    vehicle: { plate: 'BIKE01', plateType: 'Motorcycle', prov: 'Ontario', make: 'Harley-Davidson', type: 'Motorcycle', colour: 'Black', year: '2015' },
    drivers: ['demo-sam'],
  },
] as const;

export async function demoUsersAndVehicles(db: Kysely<DB>, { clientId }: DemoContext): Promise<void> {
  const userIds = new Map<string, number>();
  for (const user of DEMO_USERS) {
    const input = readProfile(new Fields({ login_source: BUILT_IN_LOGIN_SOURCE, ...user }));
    userIds.set(user.unique_id, await saveProfile(db, clientId, input, 'create'));
  }
  for (const { vehicle, drivers } of DEMO_VEHICLES) {
    await createVehicle(
      db,
      clientId,
      readVehicle(new Fields(vehicle)),
      drivers.map((uniqueId) => userIds.get(uniqueId)!),
    );
  }
}
