import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from '../../src/demo/index.js';
import { DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('demo users and vehicles on %s', (kind) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    token = (await ensureDemo(t.database.db)).token;
  });
  afterAll(() => t.close());

  it('has users and vehicles with their drivers, on the default lookups', async () => {
    const vehicles = (await t.admin('GET', '/clients/OC_TOMA/vehicles?limit=1000')).items;
    const toma001 = vehicles.find((v: any) => v.plate === 'TOMA001');
    expect(toma001).toMatchObject({ province: 'Ontario', plate_type: 'Passenger', make: 'Chevrolet', vehicle_type: 'Compact', colour: 'Red', year: 2006 });
    const users = (await t.admin('GET', '/clients/OC_TOMA/users?limit=1000')).items;
    const alex = users.find((u: any) => u.unique_id === 'demo-alex');
    expect(toma001.driver_user_ids).toEqual([alex.id]);
    const toma002 = vehicles.find((v: any) => v.plate === 'TOMA002');
    expect(toma002.driver_user_ids).toHaveLength(2);
    expect(toma002).toMatchObject({ province: 'Quebec', make: 'Honda', colour: 'Blue' });
    expect(vehicles.find((v: any) => v.plate === 'BIKE01')).toMatchObject({ plate_type: 'Motorcycle', make: 'Harley-Davidson' });
  });

  it("answers the seeds' vehicle and profile examples as written", async () => {
    const vehicle = await t.post('/api/OC_TOMA/v1/vehicles/push', {
      apiToken: token,
      plate: 'PL8RDR',
      plateType: 'Motorcycle',
      prov: 'MA',
      make: '8',
      type: '3',
      colour: 'red',
      year: '2011',
      vin: '8GKS1AKC7FR518845',
    });
    expect(vehicle.status).toBe(200);
    expect(vehicle.body.status).toBe('success');
    const profile = await t.post('/api/OC_TOMA/v1/profiles/push', {
      apiToken: token,
      unique_id: 'tester23',
      login_source: 'OPSCOM',
      first_name: 'firstname',
      last_name: 'lastname',
      user_name: 'username',
      email: 'test@test.com',
      street: '123 Main Street, 123 Main Street,123 Main Street,123 Main Street,123 Main Street,123 Main Street',
      city: 'Everywhere',
      province: 'bc',
      state: 'NY',
      postal_code: 'HOHOHO',
      zip: '12345-1212',
      street2: '123 General Street',
      city2: 'Somewhere',
      province2: 'AB',
      state2: 'MA',
      postal_code2: 'A9A9A9',
      zip2: '54321-1212',
      phone_cell: '613-555-1212',
      user_type_id: '6',
      employ_no: 'employee number: default',
      employee_phone: 'emp ph. klondike 555',
      student_no: 'SN 543209854',
      student_phone: '999',
      driver_licence_num: 'QC 99999999',
      driver_license_num: 'NYNY',
      date_of_birth: '1901-01-31',
      locker_user_type_id: '3',
      driver_licence_prov: 'BC',
      driver_license_state: 'CA',
    });
    expect(profile.body).toEqual({ status: 'success', reference_id: expect.any(Number) });
  });
});
