import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp, type Tenant } from '../helpers/app.js';

describe.each(DATABASES)('lookups, vehicles and drivers on the admin API on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, payload?: object) => {
    const response = await t.app.inject({
      method: method as 'GET',
      url: `/admin/v1/clients/${tenant.code}${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const newUser = async (n: string) =>
    (await call('POST', '/users', { unique_id: `drv-${n}`, email: `drv-${n}@example.test`, first_name: 'Dee', last_name: n })).body.id as number;

  it('seeds every new client with the default lists, with the ids the seed samples use', async () => {
    const expectations = [
      ['plate-types', 4, 'Passenger'],
      ['provinces', 9, 'Ontario'],
      ['makes', 13, 'Chevrolet'],
      ['vehicle-types', 5, 'Compact'],
      ['colours', 14, 'Red'],
    ] as const;
    for (const [resource, id, name] of expectations) {
      const list = await t.admin('GET', `/clients/${tenant.code}/${resource}?limit=1000`);
      expect(list.items.find((item: any) => item.id === id)?.name).toBe(name);
    }
    const provinces = (await t.admin('GET', `/clients/${tenant.code}/provinces?limit=1000`)).items;
    expect(provinces).toHaveLength(13 + 51);
    expect(provinces.find((p: any) => p.code === 'MA')).toMatchObject({ name: 'Massachusetts', country: 'US' });
    expect(provinces.find((p: any) => p.code === 'YT')).toMatchObject({ name: 'Yukon', country: 'CA' });
    const plateTypes = (await t.admin('GET', `/clients/${tenant.code}/plate-types`)).items.map((p: any) => p.name);
    expect(plateTypes).toEqual(expect.arrayContaining(['Passenger', 'Commercial', 'Motorcycle', 'Trailer', 'Dealer']));
  });

  it('pages a list with limit and cursor', async () => {
    const first = await t.admin('GET', `/clients/${tenant.code}/provinces?limit=10`);
    expect(first.items.map((p: any) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.next_cursor).toBe(10);
    const second = await t.admin('GET', `/clients/${tenant.code}/provinces?limit=10&cursor=10`);
    expect(second.items[0].id).toBe(11);
  });

  it('adds an entry with the next id, refuses a duplicate name in any case (409) and a bad one (400)', async () => {
    const added = await call('POST', '/makes', { name: 'Polestar' });
    expect([added.status, added.body]).toEqual([201, { id: 26, name: 'Polestar', code: null, country: null }]);
    const dup = await call('POST', '/makes', { name: 'POLESTAR' });
    expect([dup.status, dup.body.field]).toEqual([409, 'name']);
    const blank = await call('POST', '/colours', { name: '   ' });
    expect([blank.status, blank.body.field]).toEqual([400, 'name']);
    const province = await call('POST', '/provinces', { name: 'Baja California', code: 'bc-mx', country: 'mx' });
    expect(province.body).toMatchObject({ name: 'Baja California', code: 'BC-MX', country: 'MX' });
    const pushed = await t.post(`/api/${tenant.code}/v1/vehicles/push`, { apiToken: tenant.token, plate: 'MX001', plateTypeID: '4', prov: 'bc-mx' });
    expect(pushed.body.warnings).toEqual([]);
  });

  it('creates a vehicle with the push attributes and drivers, shows and lists it', async () => {
    const driverA = await newUser('a');
    const driverB = await newUser('b');
    const created = await call('POST', '/vehicles', {
      plate: 'ADM 001',
      plateType: 'Passenger',
      prov: 'ON',
      make: 'Chevrolet',
      colourID: 14,
      year: 2006,
      driver_user_ids: [driverB, driverA],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      plate: 'ADM 001',
      plate_norm: 'ADM001',
      plate_type_id: 4,
      province_id: 9,
      make_id: 13,
      colour: 'Red',
      year: 2006,
      driver_user_ids: [driverA, driverB],
      warnings: [],
    });
    const shown = await call('GET', `/vehicles/${created.body.id}`);
    expect(shown.body).toMatchObject({ id: created.body.id, province: 'Ontario', driver_user_ids: [driverA, driverB] });
    const listed = await call('GET', '/vehicles?plate=adm-001');
    expect(listed.body.items.map((v: any) => v.id)).toEqual([created.body.id]);
    const user = await call('GET', `/users/${driverA}`);
    expect(user.body.vehicle_ids).toEqual([created.body.id]);
  });

  it('answers with the push codes for bad vehicle input: {error, code, field}', async () => {
    const missing = await call('POST', '/vehicles', { plateTypeID: 4, provID: 9 });
    expect([missing.status, missing.body]).toEqual([400, { error: 'Plate is a required field.', code: 9006, field: 'plate' }]);
    const noProv = await call('POST', '/vehicles', { plate: 'ADM002', plateTypeID: 4 });
    expect([noProv.status, noProv.body.code, noProv.body.field]).toEqual([400, 9011, 'prov']);
    const badMake = await call('POST', '/vehicles', { plate: 'ADM002', plateTypeID: 4, provID: 9, makeID: 999 });
    expect([badMake.status, badMake.body.code, badMake.body.field]).toEqual([400, 9033, 'makeID']);
    await call('POST', '/vehicles', { plate: 'ADM003', plateTypeID: 4, provID: 9 });
    const dup = await call('POST', '/vehicles', { plate: 'adm-003', plateTypeID: 4, provID: 9 });
    expect([dup.status, dup.body.code]).toEqual([409, 9012]);
    const badDriver = await call('POST', '/vehicles', { plate: 'ADM004', plateTypeID: 4, provID: 9, driver_user_ids: [999999] });
    expect([badDriver.status, badDriver.body.field]).toEqual([400, 'driver_user_ids']);
    expect((await call('GET', '/vehicles?plate=ADM004')).body.items).toEqual([]);
  });

  it('links a driver to a vehicle once, and answers 404 for an unknown vehicle or user', async () => {
    const vehicle = (await call('POST', '/vehicles', { plate: 'ADM005', plateTypeID: 4, provID: 9 })).body;
    const userId = await newUser('c');
    const linked = await call('POST', `/vehicles/${vehicle.id}/drivers`, { user_id: userId });
    expect([linked.status, linked.body.driver_user_ids]).toEqual([200, [userId]]);
    expect((await call('POST', `/vehicles/${vehicle.id}/drivers`, { user_id: userId })).body.driver_user_ids).toEqual([userId]);
    const noVehicle = await call('POST', '/vehicles/999999/drivers', { user_id: userId });
    expect([noVehicle.status, noVehicle.body.field]).toEqual([404, 'id']);
    const noUser = await call('POST', `/vehicles/${vehicle.id}/drivers`, { user_id: 999999 });
    expect([noUser.status, noUser.body.field]).toEqual([404, 'user_id']);
  });

  it("answers 404 for another client's vehicle and does not list it", async () => {
    const other = await t.tenant();
    const theirs = await t.admin('POST', `/clients/${other.code}/vehicles`, { plate: 'THEIRS1', plateTypeID: 4, provID: 9 });
    expect((await call('GET', `/vehicles/${theirs.id}`)).status).toBe(404);
    expect((await call('GET', '/vehicles?plate=THEIRS1')).body.items).toEqual([]);
  });
});
