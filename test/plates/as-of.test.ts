import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { createVehicle } from '../helpers/fixtures.js';
import { createPermitType, createStandardPermit } from '../helpers/permit-fixtures.js';

const HOUR = 3_600_000;
// A zone without daylight saving time, whose rules the runtime and the database agree on.
const INPUT_ZONE = 'Asia/Tokyo';
const DISPLAY_ZONE = 'America/Toronto';

/** `YYYY-MM-DD HH:MM:SS` of `date` on a clock in `timeZone`. */
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

/** A time as the integration API reads it (`YYYY-MM-DDTHH:MM:SS` in the client's input zone). */
const input = (date: Date) => local(date, INPUT_ZONE).replace(' ', 'T');
const shown = (date: Date) => local(date, DISPLAY_ZONE);

/**
 * Waits until the clock has passed the next whole second (and a little more) and returns that
 * second: everything written before the call was recorded before it, everything after, after it.
 */
async function nextSecond(): Promise<Date> {
  const second = Math.floor(Date.now() / 1000) * 1000 + 1000;
  await new Promise((resolve) => setTimeout(resolve, second + 20 - Date.now()));
  return new Date(second);
}

describe.each(DATABASES)('as-of plate validation on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    await t.admin('PATCH', `/clients/${tenant.code}`, { input_time_zone: INPUT_ZONE, timezone: DISPLAY_ZONE });
  });
  afterAll(() => t.close());

  const validate = (body: Record<string, unknown>) => t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, ...body });
  const push = async (plate: string, start: Date, end: Date, zone: string) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/push`, {
      apiToken: tenant.token,
      plate,
      startTime: input(start),
      endTime: input(end),
      zone,
    });
    expect(response.status).toBe(200);
    return response.body.reference_id as string;
  };
  const call = async (action: 'update' | 'delete', body: Record<string, unknown>) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/${action}`, { apiToken: tenant.token, ...body });
    expect(response.status).toBe(200);
  };

  it('answers what validation knew at the moment, and what today’s records say was valid then', async () => {
    const base = new Date(Math.floor(Date.now() / 1000) * 1000);
    const start = new Date(base.getTime() - 2 * HOUR);
    const end = new Date(base.getTime() + 2 * HOUR);
    const shortened = await push('AS OF-1', start, end, 'Shortened');
    const deletedBefore = await push('ASOF1', start, end, 'Deleted before');
    const deletedAfter = await push('ASOF1', start, end, 'Deleted after');
    const renamed = await push('OLD-PLATE', start, end, 'Renamed');
    await nextSecond();
    await call('delete', { referenceId: deletedBefore });
    const at = await nextSecond();
    // Everything below happens after the moment asked about.
    const shortEnd = new Date(base.getTime() - HOUR);
    await call('update', { referenceId: shortened, endTime: input(shortEnd) });
    await call('delete', { referenceId: deletedAfter });
    await call('update', { referenceId: renamed, plate: 'ASOF1' });
    const late = await push('ASOF1', start, end, 'Uploaded late');
    expect(late).toMatch(/^[0-9a-f-]{36}$/);

    const response = await validate({ plate: 'asof-1', at: input(at) });
    expect(response.status).toBe(200);
    const { data } = response.body;
    expect(data.plate).toBe('ASOF1');
    // Then: the shortened permit still had its first end, the one deleted later was live, the one
    // deleted before was gone; the late upload and the renamed permit were unknown under this plate.
    expect(data.responseJSON.as_of).toStrictEqual({
      permits: [
        { expires: shown(end), type: 'temp', shortName: 'Deleted after' },
        { expires: shown(end), type: 'temp', shortName: 'Shortened' },
      ],
    });
    expect(data.response).toBe(`temp: Deleted after\n Expires: ${shown(end)}\ntemp: Shortened\n Expires: ${shown(end)}\n\n`);
    // Today's records: the shortened permit no longer covers the moment, the one deleted after
    // the moment covered it until its deletion, the renamed and late ones cover it, unknown then.
    const validAt = data.responseJSON.valid_at as Array<Record<string, unknown>>;
    expect(validAt.map((permit) => [permit.shortName, permit.known_then])).toStrictEqual([
      ['Deleted after', true],
      ['Renamed', false],
      ['Uploaded late', false],
    ]);
    for (const permit of validAt) {
      expect(permit).toMatchObject({ type: 'temp', start: shown(start), expires: shown(end) });
      expect(permit.recorded_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const late_ = validAt.find((permit) => permit.shortName === 'Uploaded late')!;
    expect(String(late_.recorded_at) >= shown(at)).toBe(true);

    // The old plate answered the renamed permit at the moment, and nothing by today's records.
    const old = await validate({ plate: 'OLD-PLATE', at: input(at) });
    expect(old.body.data.responseJSON).toStrictEqual({ as_of: { permits: [{ expires: shown(end), type: 'temp', shortName: 'Renamed' }] }, valid_at: [] });

    // Before anything was pushed: nothing was known, but today's records cover the moment.
    const before = await validate({ plate: 'ASOF1', at: input(new Date(base.getTime() - HOUR)) });
    expect(before.body.data.responseJSON.as_of).toStrictEqual({});
    expect(before.body.data.response).toBe('');
    // A delete ends a permit's validity when it is made: both deleted permits covered that moment.
    expect(before.body.data.responseJSON.valid_at.map((permit: { shortName: string }) => permit.shortName)).toStrictEqual([
      'Deleted after',
      'Deleted before',
      'Renamed',
      'Uploaded late',
    ]);
  });

  it('counts standard permits and DNTT entries from their recording, and the alarm as it is now', async () => {
    const db = t.database.db;
    const base = new Date(Math.floor(Date.now() / 1000) * 1000);
    const { id: vehicle } = await createVehicle(db, tenant.clientId, { plate: 'STD-AS-OF', alert: 'Stolen' });
    const typeId = await createPermitType(db, tenant.clientId, 'EARLY');
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: typeId,
      vehicleIds: [vehicle],
      start: new Date(base.getTime() - 3 * HOUR),
      end: new Date(base.getTime() + HOUR),
    });
    await t.admin('POST', `/clients/${tenant.code}/dntt`, {
      plate: 'STDASOF',
      location: 'Lot 6',
      start: new Date(base.getTime() - 3 * HOUR).toISOString(),
      end: new Date(base.getTime() + HOUR).toISOString(),
      notes: 'moving day',
    });
    const at = await nextSecond();
    const lateType = await createPermitType(db, tenant.clientId, 'LATE');
    await createStandardPermit(db, tenant.clientId, {
      permitTypeId: lateType,
      plates: ['STDASOF'],
      start: new Date(base.getTime() - 3 * HOUR),
      end: new Date(base.getTime() + HOUR),
    });

    const response = await t.post(`/api/${tenant.code}/v1/validate/plate/STD-AS-OF`, { apiToken: tenant.token, at: input(at) });
    expect(response.status).toBe(200);
    const dntt = { notes: 'moving day', start: shown(new Date(base.getTime() - 3 * HOUR)), location: 'Lot 6', end: shown(new Date(base.getTime() + HOUR)) };
    expect(response.body.responseJSON.as_of).toStrictEqual({
      permits: [{ expires: shown(new Date(base.getTime() + HOUR)), type: 'standard', shortName: 'EARLY' }],
      dntt: [dntt],
      alarm: 'Stolen',
      active: '1',
    });
    expect(response.body.active).toBe('1');
    expect(
      response.body.responseJSON.valid_at.map((permit: { shortName: string; known_then: boolean }) => [permit.shortName, permit.known_then]),
    ).toStrictEqual([
      ['EARLY', true],
      ['LATE', false],
    ]);

    // A moment they cover, before the DNTT entry and the permits were recorded.
    const earlier = await validate({ plate: 'STD-AS-OF', at: input(new Date(base.getTime() - 2 * HOUR)) });
    expect(earlier.body.data.responseJSON.as_of).toStrictEqual({ alarm: 'Stolen' });
    expect(
      earlier.body.data.responseJSON.valid_at.map((permit: { shortName: string; known_then: boolean }) => [permit.shortName, permit.known_then]),
    ).toStrictEqual([
      ['EARLY', false],
      ['LATE', false],
    ]);
  });

  it('answers without at exactly as before', async () => {
    const base = new Date(Math.floor(Date.now() / 1000) * 1000);
    await push('PLAIN1', new Date(base.getTime() - HOUR), new Date(base.getTime() + HOUR), 'Plain');
    const expected = {
      error: 0,
      data: {
        response: `temp: Plain\n Expires: ${shown(new Date(base.getTime() + HOUR))}\n\n`,
        plate: 'PLAIN1',
        responseJSON: { permits: [{ expires: shown(new Date(base.getTime() + HOUR)), type: 'temp', shortName: 'Plain' }] },
      },
      message: '',
    };
    for (const body of [{ plate: 'PLAIN1' }, { plate: 'PLAIN1', at: null }]) {
      const response = await validate(body);
      expect(response.body).toStrictEqual(expected);
    }
  });

  it('refuses a bad at with the time code 9007 on both forms', async () => {
    const bad = [
      '2026-11-20 10:15:00',
      '2026-02-30T10:00:00',
      '2026-11-20T10:15:00Z',
      '2026-11-20T10:15:00+01:00',
      'yesterday',
      '',
      ' ',
      20261120,
      true,
      ['2026-11-20T10:15:00'],
    ];
    for (const at of bad) {
      const response = await validate({ plate: 'ABC123', at });
      expect(response.status, JSON.stringify(at)).toBe(400);
      expect(response.body).toStrictEqual({
        error: 9007,
        data: null,
        message: 'The start time value is invalid.',
        field: 'at',
        ...(typeof at === 'string' && at.trim() === '' ? {} : { hint: 'a time as YYYY-MM-DDTHH:MM:SS without offset, e.g. 2026-11-24T10:00:00' }),
      });
      const older = await t.post(`/api/${tenant.code}/v1/validate/plate/ABC123`, { apiToken: tenant.token, At: at });
      expect(older.status).toBe(400);
      expect(older.body).toMatchObject({ ErrorCode: 9007, field: 'At' });
    }
  });
});
