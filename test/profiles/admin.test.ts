import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp, type Tenant } from '../helpers/app.js';

describe.each(DATABASES)('users on the admin API on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/user-types`, { id: 7, type_name: 'Full Time Staff', ext_info: 'Staff' });
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

  it('creates a user with the OPSCOM login source by default, through the push reader', async () => {
    const created = await call('POST', '/users', {
      unique_id: 'staff-1',
      first_name: 'Stephen',
      last_name: 'Smith',
      email: 'stephen@test',
      user_type_id: 7,
      state: 'on',
      zip: 'H0H0H0',
      date_of_birth: '1980-10-14',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      unique_id: 'staff-1',
      login_source: 'OPSCOM',
      province: 'ON',
      postal_code: 'H0H0H0',
      user_type_id: 7,
      date_of_birth: '1980-10-14',
      vehicle_ids: [],
    });
    const pushed = await t.post(`/api/${tenant.code}/v1/profiles/push`, {
      apiToken: tenant.token,
      unique_id: 'staff-1',
      login_source: 'OPSCOM',
      city: 'Ottawa',
    });
    expect(pushed.body.reference_id).toBe(created.body.id);
    expect((await call('GET', `/users/${created.body.id}`)).body).toMatchObject({ city: 'Ottawa', first_name: 'Stephen' });
  });

  it('answers with the push codes for bad user input, and 409 for an existing unique_id', async () => {
    const noEmail = await call('POST', '/users', { unique_id: 'x-1', first_name: 'A', last_name: 'B' });
    expect([noEmail.status, noEmail.body]).toEqual([400, { error: 'The user e-mail is required.', code: 9016, field: 'email' }]);
    const badType = await call('POST', '/users', { unique_id: 'x-1', first_name: 'A', last_name: 'B', email: 'x1@example.test', user_type_id: 99 });
    expect([badType.status, badType.body.code, badType.body.field]).toEqual([400, 9033, 'user_type_id']);
    const long = await call('POST', '/users', { unique_id: 'x-1', first_name: 'A', last_name: 'B', email: 'x1@example.test', street2: 'x'.repeat(21) });
    expect([long.status, long.body.code, long.body.field]).toEqual([400, 9030, 'street2']);
    await call('POST', '/users', { unique_id: 'x-2', first_name: 'A', last_name: 'B', email: 'x2@example.test' });
    const again = await call('POST', '/users', { unique_id: 'x-2', first_name: 'A', last_name: 'B', email: 'other@example.test' });
    expect([again.status, again.body.field]).toEqual([409, 'unique_id']);
    const email = await call('POST', '/users', { unique_id: 'x-3', first_name: 'A', last_name: 'B', email: 'X2@EXAMPLE.TEST' });
    expect([email.status, email.body.code, email.body.field]).toEqual([409, 9019, 'email']);
    const source = await call('POST', '/users', { unique_id: 'x-4', login_source: 'LDAP', first_name: 'A', last_name: 'B', email: 'x4@example.test' });
    expect([source.status, source.body.code]).toEqual([400, 9015]);
    await t.admin('POST', `/clients/${tenant.code}/login-sources`, { name: 'Banner' });
    const banner = await call('POST', '/users', { unique_id: 'x-4', Login_Source: 'banner', first_name: 'A', last_name: 'B', email: 'x4@example.test' });
    expect([banner.status, banner.body.login_source]).toEqual([201, 'Banner']);
  });

  it('lists users by page and by email, and answers 404 for an unknown or foreign user', async () => {
    for (const n of [1, 2, 3]) await call('POST', '/users', { unique_id: `list-${n}`, first_name: 'L', last_name: `${n}`, email: `list-${n}@example.test` });
    const page = await call('GET', '/users?limit=2');
    expect(page.body.items).toHaveLength(2);
    const next = await call('GET', `/users?limit=100&cursor=${page.body.next_cursor}`);
    expect(next.body.items[0].id).toBeGreaterThan(page.body.items[1].id);
    const byEmail = await call('GET', '/users?email=LIST-2@example.test');
    expect(byEmail.body.items.map((u: any) => u.unique_id)).toEqual(['list-2']);
    expect((await call('GET', '/users/999999')).status).toBe(404);
    const other = await t.tenant();
    const theirs = await t.admin('POST', `/clients/${other.code}/users`, {
      unique_id: 'theirs',
      first_name: 'T',
      last_name: 'T',
      email: 'theirs@example.test',
    });
    expect((await call('GET', `/users/${theirs.id}`)).status).toBe(404);
  });
});
