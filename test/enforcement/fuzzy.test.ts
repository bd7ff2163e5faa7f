import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFUSION_CLASSES } from '../../src/enforcement/fuzzy.js';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe.each(DATABASES)('misread-tolerant plate validation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const validate = (tenant: Tenant, plate: string, extra: Record<string, unknown> = {}) =>
    t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate, ...extra });

  /** A client whose permit type MOTO-S exists, with standard permits valid now for `plates`. */
  async function tenantWith(plates: string[]): Promise<Tenant> {
    const tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Main Campus', lot_type: 'M' });
    await t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'MOTO-S', lot: 'Main Campus' });
    if (plates.length > 0) await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'MOTO-S', plates, start: at(-HOUR), end: at(2 * HOUR) });
    return tenant;
  }

  it('finds a plate read with any character of a confusion class as another of it, for every class', async () => {
    const pairs = CONFUSION_CLASSES.flatMap((members) => [...members].flatMap((read) => [...members].filter((as) => as !== read).map((as) => ({ read, as }))));
    const onFile = [...new Set(pairs.map(({ as }) => `W${as}W`))];
    const tenant = await tenantWith(onFile);
    for (const { read, as } of pairs) {
      const response = await validate(tenant, `W${read}W`, { fuzzy: true });
      expect(response.status).toBe(200);
      const candidate = response.body.data.responseJSON.candidates.find((found: { plate: string }) => found.plate === `W${as}W`);
      expect(candidate, `W${read}W read for W${as}W`).toMatchObject({ plate: `W${as}W`, changes: [{ at: 1, read, as }] });
      expect(candidate.responseJSON.permits).toEqual([expect.objectContaining({ type: 'standard', shortName: 'MOTO-S' })]);
      expect(candidate.response).toBe(`standard: MOTO-S\n Expires: ${candidate.responseJSON.permits[0].expires}\n\n`);
    }
    // T and V are each confused with Y, not with one another.
    const tv = await validate(tenant, 'WVW', { fuzzy: true });
    expect(tv.body.data.responseJSON.candidates.map((found: { plate: string }) => found.plate)).toEqual(['WYW']);
  });

  it('finds a plate read with one character too many or one missing, and says which', async () => {
    const tenant = await tenantWith(['ABC123']);
    const inserted = await validate(tenant, 'ABC1234', { fuzzy: true });
    expect(inserted.body.data.responseJSON.candidates).toEqual([
      expect.objectContaining({ plate: 'ABC123', changes: [{ at: 6, inserted: '4' }], responseJSON: expect.objectContaining({ permits: expect.any(Array) }) }),
    ]);
    const insertedInside = await validate(tenant, 'ABXC123', { fuzzy: true });
    expect(insertedInside.body.data.responseJSON.candidates).toEqual([expect.objectContaining({ plate: 'ABC123', changes: [{ at: 2, inserted: 'X' }] })]);
    const dropped = await validate(tenant, 'ABC23', { fuzzy: true });
    expect(dropped.body.data.responseJSON.candidates).toEqual([expect.objectContaining({ plate: 'ABC123', changes: [{ at: 3, dropped: '1' }] })]);
    const droppedFirst = await validate(tenant, 'BC123', { fuzzy: true });
    expect(droppedFirst.body.data.responseJSON.candidates).toEqual([expect.objectContaining({ plate: 'ABC123', changes: [{ at: 0, dropped: 'A' }] })]);
    // A dropped character and a confusion together: two changes, still within the limit.
    const both = await validate(tenant, 'A8C23', { fuzzy: true });
    expect(both.body.data.responseJSON.candidates).toEqual([
      expect.objectContaining({
        plate: 'ABC123',
        changes: [
          { at: 3, dropped: '1' },
          { at: 1, read: '8', as: 'B' },
        ],
      }),
    ]);
    // Three changes is too far.
    const far = await validate(tenant, 'A8C2', { fuzzy: true });
    expect(far.body.data.responseJSON.candidates).toEqual([]);
  });

  it('ranks fewer changes first, confusions before a character too many or missing, then plates with a valid permit; at most 5', async () => {
    const tenant = await tenantWith(['NBN1', 'N8N', 'N8N12', 'NBNI', 'NBN']);
    // On file with an alarm only (no permit).
    const vehicle = await t.admin('POST', `/clients/${tenant.code}/vehicles`, { plate: 'N3N1', plateTypeID: 4, provID: 9 });
    await t.admin('PUT', `/clients/${tenant.code}/vehicles/${vehicle.id}/alert`, { text: 'Wanted to talk with.' });
    // On file, but with an expired permit only: nothing to answer, so no candidate.
    await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'MOTO-S', plates: ['N8NI'], start: at(-3 * HOUR), end: at(-HOUR) });
    const response = await validate(tenant, 'N8N1', { fuzzy: true });
    const candidates = response.body.data.responseJSON.candidates;
    expect(candidates.map((found: { plate: string }) => found.plate)).toEqual(['NBN1', 'N3N1', 'N8N', 'N8N12', 'NBNI']);
    expect(candidates[1]).toStrictEqual({
      plate: 'N3N1',
      changes: [{ at: 1, read: '8', as: '3' }],
      response: 'ALARM: Wanted to talk with.\n\n',
      responseJSON: { alarm: 'Wanted to talk with.' },
    });
    expect(candidates[2].changes).toEqual([{ at: 3, inserted: '1' }]);
    expect(candidates[3].changes).toEqual([{ at: 4, dropped: '2' }]);
    expect(candidates[4].changes).toEqual([
      { at: 1, read: '8', as: 'B' },
      { at: 3, read: '1', as: 'I' },
    ]);
    // The read plate's own answer is the plain one: nothing on file for N8N1.
    expect(response.body.data).toMatchObject({ plate: 'N8N1', response: '' });
    expect(Object.keys(response.body.data.responseJSON)).toEqual(['candidates']);
  });

  it('answers byte for byte as without the flag when fuzzy is false or absent, and refuses a flag that is no flag', async () => {
    const tenant = await tenantWith(['ABC123', 'A8C123']);
    await t.admin('POST', `/clients/${tenant.code}/dntt`, { plate: 'ABC123', location: 'Lot 6', start: at(-HOUR), end: at(HOUR), notes: 'ok' });
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/validate/plate',
      headers: { 'content-type': 'application/json' },
      payload: { api_token: tenant.token, client: tenant.code, plate: 'ABC123' },
    });
    for (const fuzzy of [false, 'false', 0, '0', null, '']) {
      const off = await t.app.inject({
        method: 'POST',
        url: '/api/v1/validate/plate',
        headers: { 'content-type': 'application/json' },
        payload: { api_token: tenant.token, client: tenant.code, plate: 'ABC123', fuzzy },
      });
      expect(off.body).toBe(plain.body);
    }
    const on = await validate(tenant, 'ABC123', { fuzzy: 'TRUE' });
    const { candidates, ...rest } = on.body.data.responseJSON;
    expect(rest).toStrictEqual(JSON.parse(plain.body).data.responseJSON);
    expect(candidates.map((found: { plate: string }) => found.plate)).toEqual(['A8C123']);
    for (const fuzzy of ['yes', 2, [true], { on: true }]) {
      const refused = await validate(tenant, 'ABC123', { fuzzy });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 9033 });
    }
  });

  it('adds candidates to the older form too', async () => {
    const tenant = await tenantWith(['ABC123']);
    const response = await t.post(`/api/${tenant.code}/v1/validate/plate/A8C123`, { apiToken: tenant.token, fuzzy: true });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      plate: 'A8C123',
      response: '',
      responseJSON: { candidates: [{ plate: 'ABC123', changes: [{ at: 1, read: '8', as: 'B' }] }] },
    });
    const plain = await t.post(`/api/${tenant.code}/v1/validate/plate/A8C123`, { apiToken: tenant.token });
    expect(plain.body).toStrictEqual({ response: '', plate: 'A8C123', responseJSON: {} });
  });
});
