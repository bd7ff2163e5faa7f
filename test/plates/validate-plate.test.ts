import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { authCases } from '../helpers/auth-cases.js';
import { createUser, createVehicle } from '../helpers/fixtures.js';
import { createPermitType, createPushedPermit, createStandardPermit, localTime } from '../helpers/permit-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `YYYY-MM-DD HH:MM:SS` of `date` on a clock in `timeZone`: the rule the endpoint must follow. */
function local(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describe.each(DATABASES)('plate validation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const validate = (tenant: Tenant, plate: string) => t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate });
  const dntt = (tenant: Tenant, body: Record<string, unknown>) => t.admin('POST', `/clients/${tenant.code}/dntt`, body);

  describe('POST /api/v1/validate/plate authentication', () => {
    authCases(() => t, {
      url: () => '/api/v1/validate/plate',
      scope: 'plate-validate',
      body: (code) => ({ client: code, plate: 'ABC123' }),
      codeOf: (body) => body.error,
    });
  });

  describe('POST /api/{client}/v1/validate/plate/{plate} authentication', () => {
    authCases(() => t, { url: (code) => `/api/${code}/v1/validate/plate/ABC123`, scope: 'plate-validate' });
  });

  it('reproduces the seed sample "No data" exactly', async () => {
    const tenant = await t.tenant();
    const response = await validate(tenant, 'ABC123');
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({ error: 0, data: { response: '', plate: 'ABC123', responseJSON: {} }, message: '' });
  });

  it('reproduces the seed sample "plate with alarm" character for character', async () => {
    const tenant = await t.tenant();
    const alarm = '15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***';
    await createVehicle(t.database.db, tenant.clientId, { plate: 'ABC456', alert: alarm });
    const response = await validate(tenant, 'ABC456');
    expect(response.body).toStrictEqual({
      error: 0,
      data: {
        response: 'ALARM: 15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***\n\n',
        plate: 'ABC456',
        responseJSON: { alarm: '15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***' },
      },
      message: '',
    });
  });

  it('reproduces the seed sample "standard" (two standard permits) with a future expiry', async () => {
    const tenant = await t.tenant();
    const db = t.database.db;
    const vehicle = await createVehicle(db, tenant.clientId, { plate: 'ABC890' });
    const end = await localTime(db, '2099-04-30 23:59:59', 'America/Toronto');
    const start = new Date(Date.now() - DAY);
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: await createPermitType(db, tenant.clientId, 'MOTO-S'),
      start,
      end,
      vehicleIds: [vehicle.id],
    });
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: await createPermitType(db, tenant.clientId, 'LOT3'),
      start,
      end,
      vehicleIds: [vehicle.id],
    });
    const response = await validate(tenant, 'ABC890');
    expect(response.body.data.response).toBe('standard: LOT3\n Expires: 2099-04-30 23:59:59\nstandard: MOTO-S\n Expires: 2099-04-30 23:59:59\n\n');
    expect(response.body.data.responseJSON).toStrictEqual({
      permits: [
        { expires: '2099-04-30 23:59:59', type: 'standard', shortName: 'LOT3' },
        { expires: '2099-04-30 23:59:59', type: 'standard', shortName: 'MOTO-S' },
      ],
    });
  });

  it('reproduces the seed sample "DNTT" with "active":"1"', async () => {
    const tenant = await t.tenant();
    const notes = 'Hertz truck has permission to park overnight in lot 6. Rental for We-Move-It Services';
    await dntt(tenant, { plate: 'DEF123', location: 'Lot 6', start: '2024-10-23T00:00:00-04:00', end: '2099-04-30T23:59:00-04:00', notes });
    const response = await validate(tenant, 'DEF123');
    expect(response.body).toStrictEqual({
      error: 0,
      data: {
        response: `DNTT: Lot 6\n2024-10-23 00:00:00-2099-04-30 23:59:00 \n${notes}\n\n`,
        plate: 'DEF123',
        responseJSON: { dntt: [{ notes, start: '2024-10-23 00:00:00', location: 'Lot 6', end: '2099-04-30 23:59:00' }], active: '1' },
      },
      message: '',
    });
  });

  it('reproduces the merged seed sample: permits, alarm and DNTT together', async () => {
    const tenant = await t.tenant();
    const db = t.database.db;
    const vehicle = await createVehicle(db, tenant.clientId, { plate: 'ABC123', alert: 'Wanted to talk with.' });
    const end = await localTime(db, '2099-04-30 23:59:59', 'America/Toronto');
    const start = new Date(Date.now() - DAY);
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: await createPermitType(db, tenant.clientId, 'BIKE'),
      start,
      end,
      vehicleIds: [vehicle.id],
    });
    await createStandardPermit(db, tenant.clientId, { permitTypeId: await createPermitType(db, tenant.clientId, 'MOTO-S'), start, end, plates: ['ABC 123'] });
    await dntt(tenant, {
      plate: 'ABC123',
      location: 'Main Campus',
      start: '2024-11-15T00:00:00-05:00',
      end: '2099-11-15T23:59:00-05:00',
      notes: 'CLEAR FOR ANY PAY AREA',
    });
    const response = await validate(tenant, 'ABC123');
    expect(response.body.data.response).toBe(
      'standard: BIKE\n Expires: 2099-04-30 23:59:59\nstandard: MOTO-S\n Expires: 2099-04-30 23:59:59\n\nALARM: Wanted to talk with.\n\nDNTT: Main Campus\n2024-11-15 00:00:00-2099-11-15 23:59:00 \nCLEAR FOR ANY PAY AREA\n\n',
    );
    expect(Object.keys(response.body.data.responseJSON)).toStrictEqual(['permits', 'dntt', 'alarm', 'active']);
    expect(response.body.data.responseJSON.dntt).toStrictEqual([
      { notes: 'CLEAR FOR ANY PAY AREA', start: '2024-11-15 00:00:00', location: 'Main Campus', end: '2099-11-15 23:59:00' },
    ]);
  });

  it('lists permits valid now of both kinds, ordered by expiry, in the client time zone, and builds the text from them', async () => {
    const tenant = await t.tenant({ origin: 'HotSpot' });
    const db = t.database.db;
    await t.admin('PATCH', `/clients/${tenant.code}`, { timezone: 'Asia/Tokyo' });
    const vehicle = await createVehicle(db, tenant.clientId, { plate: 'XY-77 Z' });
    const now = Date.now();
    const ends = [new Date(now + 3 * HOUR), new Date(now + 2 * HOUR), new Date(now + 5 * HOUR)];
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: await createPermitType(db, tenant.clientId, 'BIKE'),
      start: new Date(now - HOUR),
      end: ends[0]!,
      vehicleIds: [vehicle.id],
    });
    await createPushedPermit(db, tenant.clientId, tenant.integrationId, {
      plate: 'xy77z',
      start: new Date(now - HOUR),
      end: ends[1]!,
      zone: 'Zone A',
      permitNo: 'P-1',
    });
    await createPushedPermit(db, tenant.clientId, tenant.integrationId, { plate: 'XY.77.Z', start: new Date(now - HOUR), end: ends[2]!, permitNo: 'P-2' });
    const expected = [
      { expires: local(ends[1]!, 'Asia/Tokyo'), type: 'HotSpot', shortName: 'Zone A' },
      { expires: local(ends[0]!, 'Asia/Tokyo'), type: 'standard', shortName: 'BIKE' },
      { expires: local(ends[2]!, 'Asia/Tokyo'), type: 'HotSpot', shortName: 'P-2' },
    ];
    const response = await validate(tenant, 'xy 77z');
    expect(response.body.data.plate).toBe('XY77Z');
    expect(response.body.data.responseJSON).toStrictEqual({ permits: expected });
    expect(response.body.data.response).toBe(`${expected.map((p) => `${p.type}: ${p.shortName}\n Expires: ${p.expires}\n`).join('')}\n`);
  });

  it('finds ABC123 when asked for "abc 123"', async () => {
    const tenant = await t.tenant();
    await createVehicle(t.database.db, tenant.clientId, { plate: 'ABC123', alert: 'Check registration' });
    const response = await validate(tenant, 'abc 123');
    expect(response.body.data.plate).toBe('ABC123');
    expect(response.body.data.responseJSON).toStrictEqual({ alarm: 'Check registration' });
  });

  it('excludes expired, future and deleted permits of both kinds, and DNTT entries not valid now', async () => {
    const tenant = await t.tenant();
    const db = t.database.db;
    const vehicle = await createVehicle(db, tenant.clientId, { plate: 'OLD1' });
    const type = await createPermitType(db, tenant.clientId, 'GONE');
    const now = Date.now();
    const windows = [
      { start: new Date(now - 2 * DAY), end: new Date(now - DAY) },
      { start: new Date(now + DAY), end: new Date(now + 2 * DAY) },
    ];
    for (const window of windows) {
      await createStandardPermit(db, tenant.clientId, { permitTypeId: type, ...window, vehicleIds: [vehicle.id] });
      await createPushedPermit(db, tenant.clientId, tenant.integrationId, { plate: 'OLD1', ...window, zone: 'Z' });
      await dntt(tenant, { plate: 'OLD1', location: 'Lot 1', start: window.start.toISOString(), end: window.end.toISOString(), notes: 'n' });
    }
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: type,
      start: new Date(now - DAY),
      end: new Date(now + DAY),
      vehicleIds: [vehicle.id],
      deleted: true,
    });
    await createPushedPermit(db, tenant.clientId, tenant.integrationId, {
      plate: 'OLD1',
      start: new Date(now - DAY),
      end: new Date(now + DAY),
      zone: 'Z',
      deleted: true,
    });
    const response = await validate(tenant, 'OLD1');
    expect(response.body.data).toStrictEqual({ response: '', plate: 'OLD1', responseJSON: {} });
  });

  it('takes the alarm from a driver linked to the vehicle, and shows a blank DNTT location as "DNTT: "', async () => {
    const tenant = await t.tenant();
    const db = t.database.db;
    const driver = await createUser(db, tenant.clientId, { alert: 'Driver suspended' });
    await createVehicle(db, tenant.clientId, { plate: 'DRV1', driver_user_ids: [driver.id] });
    const start = new Date(Date.now() - HOUR);
    const end = new Date(Date.now() + HOUR);
    await dntt(tenant, { plate: 'DRV1', start: start.toISOString(), end: end.toISOString(), notes: 'All lots' });
    const response = await validate(tenant, 'DRV1');
    const tz = 'America/Toronto';
    expect(response.body.data.response).toBe(`ALARM: Driver suspended\n\nDNTT: \n${local(start, tz)}-${local(end, tz)} \nAll lots\n\n`);
    expect(response.body.data.responseJSON.dntt[0].location).toBe('');
    expect(response.body.data.responseJSON.alarm).toBe('Driver suspended');
  });

  it("never shows another client's permits, DNTT or alarm", async () => {
    const mine = await t.tenant();
    const theirs = await t.tenant();
    await createVehicle(t.database.db, theirs.clientId, { plate: 'SHARED1', alert: 'theirs' });
    await dntt(theirs, { plate: 'SHARED1', start: new Date(Date.now() - HOUR).toISOString(), end: new Date(Date.now() + HOUR).toISOString() });
    expect((await validate(mine, 'SHARED1')).body.data.responseJSON).toStrictEqual({});
  });

  it('answers 9006 without a plate, 9000 without a client, 9003 for a bad body, in the plate envelope', async () => {
    const tenant = await t.tenant();
    const noPlate = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code });
    expect(noPlate.status).toBe(400);
    expect(noPlate.body).toMatchObject({ error: 9006, data: null, message: 'Plate is a required field.' });
    const blank = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: ' - . ' });
    expect(blank.body).toMatchObject({ error: 9006, data: null });
    const noClient = await t.post('/api/v1/validate/plate', { api_token: tenant.token, plate: 'ABC123' });
    expect(noClient.body).toMatchObject({ error: 9000, data: null, message: 'Client Code is missing from the request.' });
    const badJson = await t.post('/api/v1/validate/plate', '{"api_token":');
    expect(badJson.body).toMatchObject({ error: 9003, data: null });
    const wrongType = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: ['ABC'] });
    expect(wrongType.body).toMatchObject({ error: 9033, data: null });
    const tooLong = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'X'.repeat(51) });
    expect(tooLong.body).toMatchObject({ error: 9030, data: null });
  });

  it('serves the older form with the data keys at the top level and "active" when a DNTT is active', async () => {
    const tenant = await t.tenant();
    await createVehicle(t.database.db, tenant.clientId, { plate: 'OLD-FORM', alert: 'Tow on sight' });
    await dntt(tenant, { plate: 'OLDFORM', location: 'Lot 6', start: '2024-10-23T00:00:00-04:00', end: '2099-04-30T23:59:00-04:00', notes: 'ok' });
    const response = await t.post(`/api/${tenant.code}/v1/validate/plate/old%20form`, { apiToken: tenant.token });
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      response: 'ALARM: Tow on sight\n\nDNTT: Lot 6\n2024-10-23 00:00:00-2099-04-30 23:59:00 \nok\n\n',
      plate: 'OLDFORM',
      responseJSON: {
        dntt: [{ notes: 'ok', start: '2024-10-23 00:00:00', location: 'Lot 6', end: '2099-04-30 23:59:00' }],
        alarm: 'Tow on sight',
        active: '1',
      },
      active: '1',
    });
    const nothing = await t.post(`/api/${tenant.code}/v1/validate/plate/NONE1`, { apiToken: tenant.token });
    expect(nothing.body).toStrictEqual({ response: '', plate: 'NONE1', responseJSON: {} });
    const tooLong = await t.post(`/api/${tenant.code}/v1/validate/plate/${'X'.repeat(51)}`, { apiToken: tenant.token });
    expect(tooLong.body).toMatchObject({ ErrorCode: 9030, field: 'plate' });
  });
});
