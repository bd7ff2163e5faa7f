import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { createUser, createVehicle } from '../helpers/fixtures.js';
import { signedInOperator } from '../helpers/sessions.js';

describe.each(DATABASES)('users and vehicles searched in the admin API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const ids = async (url: string) => (await get(url)).json().items.map((item: { id: number }) => item.id);

  it('finds users by the start of a first, last or full name in any case, and by unique id; vehicles by plate', async () => {
    const tenant = await t.tenant();
    const db = t.database.db;
    const ada = await createUser(db, tenant.clientId, { first_name: 'Ada', last_name: 'Lovelace' });
    const adam = await createUser(db, tenant.clientId, { first_name: 'Adam', last_name: 'Smith' });
    const percent = await createUser(db, tenant.clientId, { first_name: '100%', last_name: 'Under_score' });
    const other = await t.tenant();
    await createUser(db, other.clientId, { first_name: 'Ada', last_name: 'Other' });
    const base = `/clients/${tenant.code}/users`;

    expect(await ids(`${base}?name=ada`)).toEqual([ada.id, adam.id]);
    expect(await ids(`${base}?name=ADA%20L`)).toEqual([ada.id]);
    expect(await ids(`${base}?name=smi`)).toEqual([adam.id]);
    expect(await ids(`${base}?name=love&limit=1`)).toEqual([ada.id]);
    expect(await ids(`${base}?name=velace`)).toEqual([]);
    // LIKE's wildcards are matched as themselves
    expect(await ids(`${base}?name=${encodeURIComponent('100%')}`)).toEqual([percent.id]);
    expect(await ids(`${base}?name=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await ids(`${base}?name=under_`)).toEqual([percent.id]);
    expect(await ids(`${base}?name=_`)).toEqual([]);
    const uniqueId = (await get(`${base}/${adam.id}`)).json().unique_id;
    expect(await ids(`${base}?unique_id=${uniqueId}`)).toEqual([adam.id]);
    expect(await ids(`${base}?unique_id=${uniqueId.toUpperCase()}`)).toEqual([]);
    expect(await ids(`/clients/${other.code}/users?unique_id=${uniqueId}`)).toEqual([]);
    const page = (await get(`${base}?name=ad&limit=1`)).json();
    expect(await ids(`${base}?name=ad&limit=1&cursor=${page.next_cursor}`)).toEqual([adam.id]);

    const car = await createVehicle(db, tenant.clientId, { plate: 'ABC 123', driver_user_ids: [ada.id] });
    expect(await ids(`/clients/${tenant.code}/vehicles?plate=abc123`)).toEqual([car.id]);
    expect((await get(`${base}/${ada.id}`)).json().vehicle_ids).toEqual([car.id]);
  });

  it('refuses hostile search values with a sentence; officers may search, users of another client are not found', async () => {
    const tenant = await t.tenant();
    for (const [query, field] of [
      ['name=', 'name'],
      [`name=${'n'.repeat(201)}`, 'name'],
      ['name=%00', 'name'],
      ['unique_id=', 'unique_id'],
      [`unique_id=${'u'.repeat(201)}`, 'unique_id'],
    ] as const) {
      const response = await get(`/clients/${tenant.code}/users?${query}`);
      expect([query, response.statusCode, response.json().field]).toEqual([query, 400, field]);
    }
    const officer = await signedInOperator(t, 'officer', tenant.code);
    expect((await officer.call('GET', `/clients/${tenant.code}/users?name=a`)).statusCode).toBe(200);
    const other = await t.tenant();
    expect((await officer.call('GET', `/clients/${other.code}/users?name=a`)).statusCode).toBe(404);
  });
});
