import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { sql } from 'kysely';
import pg from 'pg';
import { authCases } from '../helpers/auth-cases.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const SEED_PUSH = {
  Amount: '14.50',
  CurrencyID: 'CAD',
  LicencePlate: 'PL8RDR',
  zone: 'Lot 4',
  permitNo: 'L4-1138',
  startTime: '2018-07-02T09:00:00',
  endTime: '2018-07-02T09:30:00',
  promoCode: 'DISCOUNT20',
};
const BASE = { plate: 'ABC123', startTime: '2018-07-02T09:00:00', endTime: '2018-07-02T09:30:00' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every code docs/api.md#permitspush lets push answer with (auth aside). */
const PUSH_CODES = [9004, 9005, 9006, 9007, 9022, 9030, 9031, 9033];

describe.each(DATABASES)('permits/push on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const push = (tenant: Tenant, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, ...body }, headers);
  const row = (tenant: Tenant, referenceId: string) =>
    t.database.db
      .selectFrom('pushed_permits')
      .selectAll()
      .where('client_id', '=', tenant.clientId)
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
  const count = async (tenant: Tenant) =>
    Number(
      (
        await t.database.db
          .selectFrom('pushed_permits')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('client_id', '=', tenant.clientId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  async function secondIntegration(tenant: Tenant, origin = 'HotSpot') {
    const integration = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: `Second ${origin}`, origin });
    const token = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: integration.id, scopes: 'all' });
    return { ...tenant, integrationId: integration.id as number, token: token.token as string, tokenId: token.id as number };
  }

  authCases(() => t, { url: (code) => `/api/${code}/v1/permits/push`, scope: 'permit-create', body: BASE });

  it("accepts the seed's request as written and stores every attribute exactly", async () => {
    const tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot 4', lot_type: 'M' });
    const response = await t.post(`/api/${tenant.code.replaceAll('_', '-')}/v1/permits/push`, { apiToken: tenant.token, ...SEED_PUSH });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['status', 'reference_id', 'InternalReferenceID']);
    expect(response.body.status).toBe('success');
    expect(response.body.reference_id).toMatch(UUID);
    expect(response.body.InternalReferenceID).toBe(response.body.reference_id);
    const stored = await row(tenant, response.body.reference_id);
    expect(stored).toMatchObject({
      plate: 'PL8RDR',
      plate_norm: 'PL8RDR',
      amount: '14.50',
      currency: 'CAD',
      permit_no: 'L4-1138',
      zone_name: 'Lot 4',
      disconnected: false,
      promo_code: 'DISCOUNT20',
      integration_id: tenant.integrationId,
      deleted_at: null,
    });
    expect(stored.lot_id).not.toBeNull();
    expect(stored.start_at.toISOString()).toBe('2018-07-02T09:00:00.000Z');
    expect(stored.end_at.toISOString()).toBe('2018-07-02T09:30:00.000Z');
  });

  it.each([
    ['plate', 'LicencePlate'],
    ['plate', 'LicensePlate'],
    ['plate', 'licenseplate'],
  ])('reads the plate from %s alias %s', async (_attribute, name) => {
    const tenant = await t.tenant();
    const { plate: _plate, ...rest } = BASE;
    const response = await push(tenant, { ...rest, [name]: 'ab-12 3' });
    expect(response.status).toBe(200);
    expect(await row(tenant, response.body.reference_id)).toMatchObject({ plate: 'ab-12 3', plate_norm: 'AB123' });
  });

  it('reads every other attribute under each of its names', async () => {
    const tenant = await t.tenant();
    const response = await push(tenant, {
      LicensePlate: 'XY 99',
      amount: '3.25',
      currency: 'usd',
      StartDateUtc: '2019-01-01T10:00:00',
      EndDateUtc: '2019-01-01T11:00:00',
      ParkingZoneName: 'Street parking',
      permitno: 'P-1',
      TicketNumber: 'T-7',
      PROMOCODE: 'FREE',
    });
    expect(response.status).toBe(200);
    const stored = await row(tenant, response.body.reference_id);
    expect(stored).toMatchObject({ amount: '3.25', currency: 'USD', zone_name: 'Street parking', permit_no: 'P-1', ticket_number: 'T-7', promo_code: 'FREE' });
    expect(stored.start_at.toISOString()).toBe('2019-01-01T10:00:00.000Z');
    expect(stored.end_at.toISOString()).toBe('2019-01-01T11:00:00.000Z');
  });

  it("lets the seed's first listed name win when several are given, and defaults the currency to the client's", async () => {
    const tenant = await t.tenant();
    const response = await push(tenant, {
      ...BASE,
      LicencePlate: 'SECOND2',
      plate: 'FIRST1',
      CurrencyID: 'USD',
      currency: 'eur',
      StartDateUtc: '2018-07-02T09:10:00',
    });
    expect(response.status).toBe(200);
    expect(await row(tenant, response.body.reference_id)).toMatchObject({ plate: 'FIRST1', currency: 'EUR' });
    expect((await row(tenant, response.body.reference_id)).start_at.toISOString()).toBe('2018-07-02T09:00:00.000Z');
    const defaulted = await push(tenant, { ...BASE, plate: 'DEFAULT1' });
    expect((await row(tenant, defaulted.body.reference_id)).currency).toBe('CAD');
  });

  it.each([
    ['0.01', '0.01'],
    ['999999.99', '999999.99'],
    [14.5, '14.50'],
    [7, '7.00'],
  ])('accepts the amount %j as %s, exactly', async (amount, stored) => {
    const tenant = await t.tenant();
    const response = await push(tenant, { ...BASE, amount });
    expect(response.status).toBe(200);
    expect((await row(tenant, response.body.reference_id)).amount).toBe(stored);
  });

  it.each([
    [{ amount: '1000000.00' }, 9033, 'amount'],
    [{ amount: '14.5' }, 9033, 'amount'],
    [{ Amount: '-1.00' }, 9033, 'Amount'],
    [{ amount: '0.00' }, 9033, 'amount'],
    [{ amount: 1.005 }, 9033, 'amount'],
    [{ Amount: 1e21 }, 9033, 'Amount'],
    [{ amount: 1000000 }, 9033, 'amount'],
    [{ amount: 'ten' }, 9033, 'amount'],
    [{ plate: undefined }, 9006, 'plate'],
    [{ plate: 'A'.repeat(26) }, 9030, 'plate'],
    [{ plate: undefined, LicencePlate: 'B'.repeat(26) }, 9030, 'LicencePlate'],
    [{ plate: ' -. ' + '-' }, 9033, 'plate'],
    [{ plate: 12345 }, 9033, 'plate'],
    [{ plate: ['ABC'] }, 9033, 'plate'],
    [{ startTime: undefined }, 9031, 'startTime'],
    [{ startTime: '2018-02-30T09:00:00' }, 9007, 'startTime'],
    [{ startTime: '2018-07-02 09:00:00' }, 9007, 'startTime'],
    [{ startTime: '2018-07-02T09:00:00Z' }, 9007, 'startTime'],
    [{ startTime: '2018-07-02T09:00:00.000000Z' }, 9007, 'startTime'],
    [{ startTime: 1530522000 }, 9007, 'startTime'],
    [{ endTime: undefined }, 9004, 'endTime'],
    [{ endTime: '2018-02-30T09:00:00' }, 9005, 'endTime'],
    [{ endTime: '2018-07-02T25:00:00' }, 9005, 'endTime'],
    [{ endTime: '2018-07-02T09:00:00' }, 9005, 'endTime'],
    [{ EndDateUtc: '2018-07-02T08:59:59', endTime: undefined }, 9005, 'EndDateUtc'],
    [{ currency: 'C'.repeat(11) }, 9030, 'currency'],
    [{ currency: { code: 'CAD' } }, 9033, 'currency'],
    [{ permitNo: 'P'.repeat(51) }, 9030, 'permitNo'],
    [{ TicketNumber: 'T'.repeat(51) }, 9030, 'TicketNumber'],
    [{ zone: 'Z'.repeat(201) }, 9030, 'zone'],
    [{ promoCode: 'X'.repeat(51) }, 9030, 'promoCode'],
    [{ plate: 'AB\u0000C' }, 9033, 'plate'],
    [{ zone: 'Lot\u00004' }, 9033, 'zone'],
  ])('answers %j with %i on field %s', async (change, code, field) => {
    const tenant = await t.tenant();
    const body: Record<string, unknown> = { ...BASE, ...change };
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    const response = await push(tenant, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ErrorCode: code, field });
    expect(typeof response.body.ErrorMessage).toBe('string');
    expect(await count(tenant)).toBe(0);
  });

  it('accepts a plate of exactly 25 characters and limits of exactly 50 and 200', async () => {
    const tenant = await t.tenant();
    const response = await push(tenant, {
      ...BASE,
      plate: 'A'.repeat(25),
      permitNo: 'P'.repeat(50),
      TicketNumber: 'T'.repeat(50),
      zone: 'Z'.repeat(200),
      promoCode: 'X'.repeat(50),
      currency: 'C'.repeat(10),
    });
    expect(response.status).toBe(200);
  });

  it('answers 9003 to a body that is not a JSON object', async () => {
    const tenant = await t.tenant();
    expect((await t.post(`/api/${tenant.code}/v1/permits/push`, '{"apiToken":')).body.ErrorCode).toBe(9003);
    expect((await t.post(`/api/${tenant.code}/v1/permits/push`, '[1,2]')).body.ErrorCode).toBe(9003);
  });

  it("reads pushed times in the client's input time zone when one is configured", async () => {
    const tenant = await t.tenant();
    await t.admin('PATCH', `/clients/${tenant.code}`, { input_time_zone: 'America/Toronto' });
    const summer = await push(tenant, { ...BASE, startTime: '2018-07-02T09:00:00', endTime: '2018-07-02T09:30:00' });
    const winter = await push(tenant, { ...BASE, startTime: '2018-01-02T09:00:00', endTime: '2018-01-02T09:30:00' });
    expect((await row(tenant, summer.body.reference_id)).start_at.toISOString()).toBe('2018-07-02T13:00:00.000Z');
    expect((await row(tenant, winter.body.reference_id)).start_at.toISOString()).toBe('2018-01-02T14:00:00.000Z');
  });

  it('takes early and late timestamps in a time zone east of UTC without a fault', async () => {
    const tenant = await t.tenant();
    await t.admin('PATCH', `/clients/${tenant.code}`, { input_time_zone: 'Asia/Tokyo' });
    const early = await push(tenant, { ...BASE, startTime: '0100-01-01T00:00:00', endTime: '9999-12-31T23:59:59' });
    expect(early.status).toBe(200);
    const update = await t.post(`/api/${tenant.code}/v1/permits/update`, {
      apiToken: tenant.token,
      referenceID: early.body.reference_id,
      endTime: '0100-01-01T00:00:01',
    });
    expect(update.status).toBe(200);
    const again = await push(tenant, { ...BASE, startTime: '0100-01-01T00:00:00', endTime: '0100-01-01T00:00:01' });
    expect(again.body).toMatchObject({ ErrorCode: 9022, reference_id: early.body.reference_id });
    expect((await t.admin('GET', `/clients/${tenant.code}/permits`)).items).toHaveLength(1);
  });

  it('matches the zone to a lot case-insensitively and trimmed, else stores it flagged disconnected', async () => {
    const tenant = await t.tenant();
    const lot = await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Red Lot', lot_type: 'M' });
    const matched = await push(tenant, { ...BASE, zone: '  red LOT ' });
    expect(await row(tenant, matched.body.reference_id)).toMatchObject({ lot_id: lot.id, disconnected: false, zone_name: 'red LOT' });
    const unknown = await push(tenant, { ...BASE, zone: 'Blue Lot' });
    expect(unknown.status).toBe(200);
    expect(await row(tenant, unknown.body.reference_id)).toMatchObject({ lot_id: null, disconnected: true, zone_name: 'Blue Lot' });
    const none = await push(tenant, { ...BASE, plate: 'NOZONE' });
    expect(await row(tenant, none.body.reference_id)).toMatchObject({ lot_id: null, disconnected: false, zone_name: null });
    const list = await t.admin('GET', `/clients/${tenant.code}/permits?disconnected=true`);
    expect(list.items.map((item: { reference_id: string }) => item.reference_id)).toEqual([unknown.body.reference_id]);
  });

  describe('duplicates (9022)', () => {
    it('answers a repeat of a live permit with 409, 9022 and the existing reference id', async () => {
      const tenant = await t.tenant();
      const first = await push(tenant, { ...BASE, plate: 'AB123', zone: 'Lot 1', permitNo: 'A-1' });
      expect(first.status).toBe(200);
      // the same normalised plate, zone in another case, another amount: still the same permit
      const repeat = await push(tenant, { ...BASE, plate: 'ab-12.3', zone: ' LOT 1', permitNo: 'A-1', amount: '2.00' });
      expect(repeat.status).toBe(409);
      expect(repeat.body).toEqual({
        ErrorCode: 9022,
        ErrorMessage: 'A record already exists with the supplied details.',
        reference_id: first.body.reference_id,
      });
      expect(await count(tenant)).toBe(1);
    });

    it('is not a duplicate with another permit number, zone, time, integration, or once the first is deleted', async () => {
      const tenant = await t.tenant();
      const first = await push(tenant, { ...BASE, permitNo: 'N-1' });
      expect((await push(tenant, { ...BASE, permitNo: 'N-2' })).status).toBe(200);
      expect((await push(tenant, { ...BASE, permitNo: 'N-1', zone: 'Elsewhere' })).status).toBe(200);
      expect((await push(tenant, { ...BASE, permitNo: 'N-1', endTime: '2018-07-02T09:31:00' })).status).toBe(200);
      const hotspot = await secondIntegration(tenant);
      expect((await push(hotspot, { ...BASE, permitNo: 'N-1' })).status).toBe(200);
      await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: first.body.reference_id });
      const renewed = await push(tenant, { ...BASE, permitNo: 'N-1' });
      expect(renewed.status).toBe(200);
      expect(renewed.body.reference_id).not.toBe(first.body.reference_id);
    });

    it('lets exactly one of ten identical concurrent pushes in; the others get its reference id', async () => {
      const tenant = await t.tenant();
      const responses = await Promise.all(Array.from({ length: 10 }, () => push(tenant, { ...BASE, permitNo: 'RACE' })));
      const created = responses.filter((response) => response.status === 200);
      expect(created).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({ ErrorCode: 9022, reference_id: created[0]!.body.reference_id });
      }
      expect(await count(tenant)).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for a repeat, even after the permit was deleted, and creates nothing', async () => {
      const tenant = await t.tenant();
      const headers = { 'idempotency-key': 'order-42' };
      const first = await push(tenant, SEED_PUSH, headers);
      expect(first.status).toBe(200);
      await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: first.body.reference_id });
      const second = await push(tenant, SEED_PUSH, headers);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await count(tenant)).toBe(1);
    });

    it('answers ten identical concurrent requests with one permit and ten identical answers', async () => {
      const tenant = await t.tenant();
      const headers = { 'Idempotency-Key': 'concurrent-1' };
      const responses = await Promise.all(Array.from({ length: 10 }, () => push(tenant, { ...SEED_PUSH, LicencePlate: 'RACE1' }, headers)));
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.body).toEqual(responses[0]!.body);
      }
      expect(await count(tenant)).toBe(1);
    });

    // Only PostgreSQL can be shared by two servers (PGlite is one in-process database).
    if (kind === 'postgres')
      it('holds across two server processes sharing the database', async () => {
        const tenant = await t.tenant();
        const url = (t.database as { url?: string }).url!;
        const otherDatabase = await openDatabase({ kind: 'postgres', url });
        const other = await buildApp({ database: otherDatabase, adminToken: ADMIN_TOKEN, logLevel: 'silent' });
        try {
          const body = JSON.stringify({ ...SEED_PUSH, apiToken: tenant.token, LicencePlate: 'TWOPROC' });
          const send = (app: typeof other) =>
            app.inject({
              method: 'POST',
              url: `/api/${tenant.code}/v1/permits/push`,
              headers: { 'content-type': 'application/json', 'idempotency-key': 'two-processes' },
              payload: body,
            });
          const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i % 2 === 0 ? t.app : other)));
          for (const response of responses) {
            expect(response.statusCode).toBe(200);
            expect(response.json()).toEqual(responses[0]!.json());
          }
          expect(await count(tenant)).toBe(1);
        } finally {
          await other.close();
          await otherDatabase.close();
        }
      });

    it('treats the body without the token: another token of the same integration replays too', async () => {
      const tenant = await t.tenant();
      const token = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: tenant.integrationId, scopes: ['permit-create'] });
      const first = await push(tenant, BASE, { 'idempotency-key': 'k-token' });
      const second = await t.post(`/api/${tenant.code}/v1/permits/push`, { ...BASE, apiToken: token.token }, { 'idempotency-key': 'k-token' });
      expect(second.body).toEqual(first.body);
      expect(await count(tenant)).toBe(1);
    });

    it('replays an error answer too', async () => {
      const tenant = await t.tenant();
      const first = await push(tenant, { ...BASE, amount: '14.5' }, { 'idempotency-key': 'bad-amount' });
      const second = await push(tenant, { ...BASE, amount: '14.5' }, { 'idempotency-key': 'bad-amount' });
      expect(first.status).toBe(400);
      expect(second.status).toBe(400);
      expect(second.body).toEqual(first.body);
    });

    it('answers the same key with another body with 422, 9033 on Idempotency-Key', async () => {
      const tenant = await t.tenant();
      await push(tenant, BASE, { 'idempotency-key': 'k-1' });
      const other = await push(tenant, { ...BASE, plate: 'OTHER1' }, { 'idempotency-key': 'k-1' });
      expect(other.status).toBe(422);
      expect(other.body).toEqual({ ErrorCode: 9033, ErrorMessage: "The field's value is invalid.", field: 'Idempotency-Key' });
      expect(await count(tenant)).toBe(1);
    });

    it('scopes keys to the integration', async () => {
      const tenant = await t.tenant();
      const hotspot = await secondIntegration(tenant);
      const mine = await push(tenant, BASE, { 'idempotency-key': 'shared' });
      const theirs = await push(hotspot, BASE, { 'idempotency-key': 'shared' });
      expect(theirs.status).toBe(200);
      expect(theirs.body.reference_id).not.toBe(mine.body.reference_id);
    });

    it('forgets a key after 24 hours', async () => {
      const tenant = await t.tenant();
      const first = await push(tenant, BASE, { 'idempotency-key': 'old' });
      await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: first.body.reference_id });
      await t.database.db
        .updateTable('idempotency_keys')
        .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
        .where('client_id', '=', tenant.clientId)
        .execute();
      const later = await push(tenant, BASE, { 'idempotency-key': 'old' });
      expect(later.status).toBe(200);
      expect(later.body.reference_id).not.toBe(first.body.reference_id);
      expect(await count(tenant)).toBe(2);
    });

    it('hashes a body nested 100 000 deep without failing, and replays it', async () => {
      const tenant = await t.tenant();
      const depth = 100_000;
      const payload = `{"apiToken":${JSON.stringify(tenant.token)},"plate":"DEEP1","startTime":"2018-07-02T09:00:00","endTime":"2018-07-02T09:30:00","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const send = () =>
        t.app.inject({
          method: 'POST',
          url: `/api/${tenant.code}/v1/permits/push`,
          headers: { 'content-type': 'application/json', 'idempotency-key': 'deep' },
          payload,
        });
      const first = await send();
      expect(first.statusCode).toBe(200);
      const second = await send();
      expect(second.json()).toEqual(first.json());
      expect(await count(tenant)).toBe(1);
    });

    it('takes over a key left pending by an earlier release at once', async () => {
      const tenant = await t.tenant();
      await t.database.db
        .insertInto('idempotency_keys')
        .values({ client_id: tenant.clientId, integration_id: tenant.integrationId, key: 'left-pending', request_hash: 'x', state: 'pending' })
        .execute();
      const started = Date.now();
      const response = await push(tenant, BASE, { 'idempotency-key': 'left-pending' });
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await push(tenant, BASE, { 'idempotency-key': 'left-pending' })).body).toEqual(response.body);
      expect(await count(tenant)).toBe(1);
    });

    // A server killed mid-request leaves an open transaction holding the key; PostgreSQL ends it
    // when the connection dies. PGlite runs in the server's process, so it dies with it.
    if (kind === 'postgres')
      it("lets a repeat wait on the first request's open claim, and run itself the moment that connection dies", async () => {
        const tenant = await t.tenant();
        const url = (t.database as { url?: string }).url!;
        const holder = new pg.Client({ connectionString: url });
        await holder.connect();
        holder.on('error', () => {});
        try {
          await holder.query('begin');
          await holder.query(`insert into idempotency_keys (client_id, integration_id, key, request_hash) values ($1, $2, 'killed', 'x')`, [
            tenant.clientId,
            tenant.integrationId,
          ]);
          const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
          let answered = false;
          const repeat = push(tenant, BASE, { 'idempotency-key': 'killed' }).then((response) => {
            answered = true;
            return response;
          });
          await new Promise((resolve) => setTimeout(resolve, 500));
          expect(answered).toBe(false);
          const terminated = Date.now();
          await t.database.db.executeQuery(sql`select pg_terminate_backend(${rows[0]!.pid})`.compile(t.database.db));
          const response = await repeat;
          expect(Date.now() - terminated).toBeLessThan(5_000);
          expect(response.status).toBe(200);
          expect(response.body.status).toBe('success');
          expect((await push(tenant, BASE, { 'idempotency-key': 'killed' })).body).toEqual(response.body);
          expect(await count(tenant)).toBe(1);
        } finally {
          await holder.end().catch(() => {});
        }
      });

    it('answers a key over 255 characters with 9030 and accepts one of 255', async () => {
      const tenant = await t.tenant();
      const long = await push(tenant, BASE, { 'idempotency-key': 'k'.repeat(256) });
      expect(long.status).toBe(400);
      expect(long.body).toMatchObject({ ErrorCode: 9030, field: 'Idempotency-Key' });
      expect((await push(tenant, BASE, { 'idempotency-key': 'k'.repeat(255) })).status).toBe(200);
    });
  });

  it('answers any JSON object with success or a documented code, never a 500 (property)', async () => {
    const tenant = await t.tenant();
    const names = [
      'plate',
      'LicencePlate',
      'LicensePlate',
      'amount',
      'Amount',
      'currency',
      'CurrencyID',
      'startTime',
      'StartDateUtc',
      'endTime',
      'EndDateUtc',
      'permitNo',
      'TicketNumber',
      'zone',
      'ParkingZoneName',
      'promoCode',
    ];
    const timestamp = fc
      .date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 19));
    const value = fc.oneof(
      fc.jsonValue(),
      timestamp,
      fc.stringMatching(/^\d{1,7}\.\d{2}$/),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2018-02-30T09:00:00', '2018-07-02T09:00:00', '2018-07-02T09:30:00', '14.5', 14.5, -1, 1e21, '', ' ', null, 'A\u0000B'),
      fc.string({ maxLength: 10, unit: 'binary' }),
    );
    const body = fc
      .dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), value, { maxKeys: 12 })
      .map((object) => Object.fromEntries(Object.entries(object).filter(([key]) => !['apitoken', 'api_token'].includes(key.toLowerCase()))));
    await fc.assert(
      fc.asyncProperty(body, fc.option(fc.string({ minLength: 1, maxLength: 20 }).filter((key) => /^[\x21-\x7e]+$/.test(key))), async (object, key) => {
        const response = await push(tenant, object, key === null ? {} : { 'idempotency-key': key });
        expect(response.status).not.toBe(500);
        if (response.status === 200) expect(response.body.status).toBe('success');
        else expect(PUSH_CODES).toContain(response.body.ErrorCode);
      }),
      { numRuns: 150 },
    );
  });
});
