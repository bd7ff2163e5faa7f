import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
import { DATABASES, startTestApp, type TestApp, type Tenant } from '../helpers/app.js';
import { authCases } from '../helpers/auth-cases.js';

/** The seed's full request example (Push API: User Create/Update), as written. */
const SEED_PROFILE = {
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
};

describe.each(DATABASES)('profiles/push on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  let counter = 0;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    await prepare(tenant);
  });
  afterAll(() => t.close());

  /** The seed's user type 6 and locker user type 3, and a second login source. */
  async function prepare(who: Tenant) {
    await t.admin('POST', `/clients/${who.code}/user-types`, { id: 6, type_name: 'Demo', ext_info: 'Public' });
    await t.admin('POST', `/clients/${who.code}/locker-user-types`, { id: 3, type_name: 'Accessible locker' });
    await t.admin('POST', `/clients/${who.code}/login-sources`, { name: 'Banner' });
  }

  const url = (code: string) => `/api/${code}/v1/profiles/push`;
  const push = (body: Record<string, unknown>, who: Tenant = tenant) => t.post(url(who.code), { apiToken: who.token, ...body });
  const user = (id: number, who: Tenant = tenant) => t.admin('GET', `/clients/${who.code}/users/${id}`);
  const fresh = () => {
    const n = `${kind}-${++counter}`;
    return { unique_id: `u-${n}`, login_source: 'OPSCOM', email: `user-${n}@example.test`, first_name: 'Pat', last_name: 'Doe' };
  };

  authCases(() => t, { url, scope: 'profile-push', body: { unique_id: 'auth', login_source: 'OPSCOM', email: 'a@b.c', first_name: 'A', last_name: 'B' } });

  it("accepts the seed's full example as written: the first listed alias wins", async () => {
    const response = await push(SEED_PROFILE);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'success', reference_id: expect.any(Number) });
    expect(await user(response.body.reference_id)).toMatchObject({
      unique_id: 'tester23',
      login_source: 'OPSCOM',
      user_name: 'username',
      email: 'test@test.com',
      street: SEED_PROFILE.street,
      province: 'BC',
      postal_code: 'HOHOHO',
      province2: 'AB',
      postal_code2: 'A9A9A9',
      user_type_id: 6,
      employee_phone: 'emp ph. klondike 555',
      driver_licence_num: 'QC 99999999',
      driver_licence_prov: 'BC',
      date_of_birth: '1901-01-31',
      locker_user_type_id: 3,
    });
    const again = await push(SEED_PROFILE);
    expect(again.body).toEqual({ status: 'success', reference_id: response.body.reference_id });
  });

  it('reads every alias when the first name is absent', async () => {
    const body = { ...fresh(), state: 'ny', zip: '12345-1212', state2: 'MA', zip2: '54321', driver_license_num: 'NYNY', driver_license_state: 'ca' };
    const response = await push(body);
    expect(response.status).toBe(200);
    expect(await user(response.body.reference_id)).toMatchObject({
      province: 'NY',
      postal_code: '12345-1212',
      province2: 'MA',
      postal_code2: '54321',
      driver_licence_num: 'NYNY',
      driver_licence_prov: 'CA',
    });
  });

  it('creates, then changes only the given attributes on a push with the same unique_id and login source', async () => {
    const base = fresh();
    const created = await push({ ...base, city: 'Ottawa', phone_cell: '613-555-0000', user_type_id: 6 });
    const id = created.body.reference_id;
    const updated = await push({ unique_id: base.unique_id, login_source: 'opscom', city: 'Kingston', first_name: 'Patricia' });
    expect(updated.body).toEqual({ status: 'success', reference_id: id });
    expect(await user(id)).toMatchObject({
      city: 'Kingston',
      first_name: 'Patricia',
      last_name: 'Doe',
      email: base.email,
      phone_cell: '613-555-0000',
      user_type_id: 6,
    });
  });

  it('keys users by unique_id and login source together', async () => {
    const base = fresh();
    const opscom = await push(base);
    const banner = await push({ ...base, login_source: 'Banner', email: `banner-${base.email}` });
    expect(banner.status).toBe(200);
    expect(banner.body.reference_id).not.toBe(opscom.body.reference_id);
    expect((await user(banner.body.reference_id)).login_source).toBe('Banner');
  });

  it('answers 9013 without unique_id, 9014 without login_source, 9015 for one the client does not have', async () => {
    const { unique_id: _u, ...noId } = fresh();
    expect((await push(noId)).body).toEqual({ ErrorCode: 9013, ErrorMessage: ERROR_CATALOGUE[9013].message, field: 'unique_id' });
    const { login_source: _l, ...noSource } = fresh();
    expect((await push(noSource)).body).toEqual({ ErrorCode: 9014, ErrorMessage: ERROR_CATALOGUE[9014].message, field: 'login_source' });
    const unknown = await push({ ...fresh(), login_source: 'LDAP' });
    expect([unknown.status, unknown.body.ErrorCode, unknown.body.field]).toEqual([400, 9015, 'login_source']);
    const other = await t.tenant();
    expect((await push({ ...fresh(), login_source: 'Banner' }, other)).body.ErrorCode).toBe(9015);
  });

  it('requires email (9016), first_name (9017) and last_name (9018) on create only', async () => {
    for (const [field, code] of [
      ['email', 9016],
      ['first_name', 9017],
      ['last_name', 9018],
    ] as const) {
      const body: Record<string, unknown> = fresh();
      delete body[field];
      const response = await push(body);
      expect([response.status, response.body.ErrorCode, response.body.field]).toEqual([400, code, field]);
    }
    const base = fresh();
    await push(base);
    expect((await push({ unique_id: base.unique_id, login_source: 'OPSCOM' })).status).toBe(200);
  });

  it('answers 9019 (409) for an email another user holds, in any case; 9020 for a user name', async () => {
    const first = fresh();
    await push({ ...first, user_name: `name-${first.unique_id}` });
    const email = await push({ ...fresh(), email: first.email.toUpperCase() });
    expect([email.status, email.body]).toEqual([409, { ErrorCode: 9019, ErrorMessage: ERROR_CATALOGUE[9019].message, field: 'email' }]);
    const name = await push({ ...fresh(), user_name: `name-${first.unique_id}` });
    expect([name.status, name.body.ErrorCode, name.body.field]).toEqual([409, 9020, 'user_name']);
    const second = fresh();
    await push(second);
    const taken = await push({ unique_id: second.unique_id, login_source: 'OPSCOM', email: first.email });
    expect(taken.body.ErrorCode).toBe(9019);
    expect((await push({ unique_id: first.unique_id, login_source: 'OPSCOM', email: first.email.toUpperCase() })).status).toBe(200);
  });

  it('lets exactly one of two concurrent creates with the same email win; the other gets 9019', async () => {
    const email = `race-${kind}@example.test`;
    const responses = await Promise.all([push({ ...fresh(), email }), push({ ...fresh(), email })]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.status === 409)!.body.ErrorCode).toBe(9019);
    const users = await t.admin('GET', `/clients/${tenant.code}/users?email=${email}`);
    expect(users.items).toHaveLength(1);
  });

  it('lets exactly one of concurrent creates with the same user name win; the others get 9020', async () => {
    const userName = `racer-${kind}`;
    const responses = await Promise.all([1, 2, 3].map(() => push({ ...fresh(), user_name: userName })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of responses.filter((r) => r.status === 409)) expect(r.body.ErrorCode).toBe(9020);
  });

  it('creates one user when the same new profile is pushed concurrently', async () => {
    const base = fresh();
    const responses = await Promise.all([1, 2, 3].map((i) => push({ ...base, city: `City ${i}` })));
    expect(responses.map((r) => [r.status, r.body])).toEqual([200, 200, 200].map((s) => [s, expect.anything()]));
    expect(new Set(responses.map((r) => r.body.reference_id)).size).toBe(1);
  });

  it.each([
    ['unique_id', 50],
    ['login_source', 20],
    ['first_name', 50],
    ['last_name', 50],
    ['user_name', 50],
    ['street', 255],
    ['city', 50],
    ['province', 2],
    ['state', 2],
    ['postal_code', 20],
    ['zip', 20],
    ['street2', 20],
    ['city2', 50],
    ['province2', 2],
    ['state2', 2],
    ['postal_code2', 20],
    ['zip2', 20],
    ['phone_cell', 20],
    ['employ_no', 50],
    ['employee_phone', 50],
    ['student_no', 50],
    ['student_phone', 50],
    ['driver_licence_num', 255],
    ['driver_license_num', 255],
    ['driver_licence_prov', 2],
    ['driver_license_state', 2],
  ])('answers 9030 with the field when %s is over %i characters, and accepts %i', async (field, max) => {
    const over = await push({ ...fresh(), [field]: 'x'.repeat(max + 1) });
    expect([over.status, over.body.ErrorCode, over.body.field]).toEqual([400, 9030, field]);
    if (field === 'login_source') return;
    const at = await push({ ...fresh(), [field]: 'x'.repeat(max) });
    expect(at.status).toBe(200);
  });

  it('answers 9030 for an email over 100 characters', async () => {
    const response = await push({ ...fresh(), email: `${'e'.repeat(95)}@x.test` });
    expect([response.body.ErrorCode, response.body.field]).toEqual([9030, 'email']);
  });

  it.each([
    ['email', 'not-an-address'],
    ['email', 'two@@example.test'],
    ['email', 'sp ace@example.test'],
    ['email', 'dot@.example'],
    ['date_of_birth', '1990-02-30'],
    ['date_of_birth', '31/01/1990'],
    ['date_of_birth', '1990-1-5'],
    ['date_of_birth', 19900101],
    ['user_type_id', '99'],
    ['user_type_id', 'six'],
    ['locker_user_type_id', '7'],
    ['first_name', { a: 1 }],
    ['city', true],
    ['unique_id', ['x']],
    ['city', 'Ott\u0000awa'],
  ])('answers 9033 with the field for %s = %j', async (field, value) => {
    const response = await push({ ...fresh(), [field]: value });
    expect([response.status, response.body.ErrorCode, response.body.field]).toEqual([400, 9033, field]);
  });

  it("accepts an address without a dot in its domain, as the seed's own users have", async () => {
    expect((await push({ ...fresh(), email: `stephen-${kind}@test` })).status).toBe(200);
  });

  it("does not see another client's users, user types or emails", async () => {
    const other = await t.tenant();
    const mine = fresh();
    const created = await push(mine);
    const theirs = await push({ ...mine }, other);
    expect(theirs.status).toBe(200);
    expect(theirs.body.reference_id).not.toBe(created.body.reference_id);
    expect((await push({ ...fresh(), user_type_id: '6' }, other)).body.ErrorCode).toBe(9033);
  });

  it('answers success or a documented 90xx code for any JSON object, never a 500', async () => {
    const documented = new Set(Object.keys(ERROR_CATALOGUE).map(Number));
    let successes = 0;
    const names = Object.keys(SEED_PROFILE);
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('6', '3', '1901-01-31', 'OPSCOM', 'x@y.z'),
      fc.integer({ min: -5, max: 100 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }),
    );
    const key = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.dictionary(key, value, { maxKeys: 10 }), async (fromValid, extra) => {
        // half the bodies start from a valid profile so that creates and updates are explored too
        const body = fromValid ? { ...fresh(), ...extra } : extra;
        const response = await push(body);
        if (response.status === 200) {
          successes++;
          expect(response.body).toEqual({ status: 'success', reference_id: expect.any(Number) });
        } else {
          expect(response.status).toBeLessThan(500);
          expect(documented.has(response.body.ErrorCode)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect(successes).toBeGreaterThan(5);
  }, 120_000);
});
